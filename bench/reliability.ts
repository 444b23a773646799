import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startAzurite } from '../infra/local/azurite';
import {
  auditAfterRecovery,
  concurrentRedemptions,
  createReliabilityWorkOrder,
  fireLoad,
  RELIABILITY_CLOCK_START,
  type Outcome,
} from './reliabilityLoad';
import { hostClient, startHost, type BenchHost } from './support';

/**
 * The longer version of test/e2e/reliability.test.ts (issue 18 part 3), reporting instead of asserting: the host
 * killed with -9 while `scale` redemptions and `scale` ticket events are in flight, then restarted; storage stopped
 * with SIGINT and restarted under load; 50 concurrent redemptions on one balance. Lost and doubled must be 0.
 */
export async function benchReliability(scale = 100): Promise<Record<string, unknown>> {
  return {
    killMinus9: await killUnderLoad(scale),
    storageOutage: await storageOutageUnderLoad(Math.ceil(scale / 2)),
  };
}

async function settle(host: BenchHost) {
  const response = await fetch(`${host.base}/admin/settle`, { method: 'POST' });
  if (!response.ok) throw new Error(`settle answered ${response.status}`);
}

async function crash(host: BenchHost) {
  const exited = new Promise((resolve) => host.child.once('exit', resolve));
  host.child.kill('SIGKILL');
  await exited;
}

async function killUnderLoad(scale: number) {
  const azurite = await startAzurite({ port: await freePort() });
  const storage = azurite.connectionString;
  let restarted: BenchHost | undefined;
  try {
    const first = await startHost({ storage, clockStart: RELIABILITY_CLOCK_START });
    let answered = 0;
    const load: Array<Promise<Outcome>> = [];
    const underLoad = async () => {
      const workOrderId = await createReliabilityWorkOrder(hostClient(first.base), 'WO-KILL');
      await settle(first);
      for (const p of fireLoad(hostClient(first.base), workOrderId, 'k', scale)) load.push(p.finally(() => answered++));
      // Killed once about a third is answered: the rest is in the handler, the queue or storage.
      while (answered < Math.ceil(load.length / 3)) await new Promise((r) => setTimeout(r, 2));
      return { workOrderId, inFlight: load.length - answered };
    };
    const { workOrderId, inFlight } = await underLoad().finally(() => crash(first));
    const outcomes = await Promise.all(load);
    const restartStarted = performance.now();
    restarted = await startHost({ storage, clockStart: RELIABILITY_CLOCK_START });
    await settle(restarted);
    const recoveryMs = Math.round(performance.now() - restartStarted);
    const audit = await auditAfterRecovery(hostClient(restarted.base), storage, workOrderId, outcomes);
    const redemptions = await concurrentRedemptions(hostClient(restarted.base), storage, 50, 7);
    return { sent: outcomes.length, inFlightAtKill: inFlight, restartAndSettleMs: recoveryMs, ...audit, redemptions };
  } finally {
    await restarted?.stop();
    await azurite.stop();
  }
}

async function storageOutageUnderLoad(scale: number) {
  const location = fs.mkdtempSync(path.join(os.tmpdir(), 'usl-reliability-bench-'));
  const port = await freePort();
  let azurite = await startAzurite({ port, location });
  const host = await startHost({ storage: azurite.connectionString, clockStart: RELIABILITY_CLOCK_START });
  const client = hostClient(host.base);
  try {
    const workOrderId = await createReliabilityWorkOrder(client, 'WO-OUTAGE');
    await settle(host);
    let answered = 0;
    const load = fireLoad(client, workOrderId, 'so', scale).map((p) => p.finally(() => answered++));
    while (answered < Math.ceil(load.length / 3)) await new Promise((r) => setTimeout(r, 2));
    const inFlightAtStop = load.length - answered;
    await azurite.stop(); // SIGINT: Azurite saves its store and exits, with work in flight
    const during = fireLoad(client, workOrderId, 'sd', Math.ceil(scale / 4));
    await new Promise((r) => setTimeout(r, 1000));
    azurite = await startAzurite({ port, location });
    const after = fireLoad(client, workOrderId, 'sa', Math.ceil(scale / 4));
    const outcomes = await Promise.all([...load, ...during, ...after]);
    await settle(host);
    const audit = await auditAfterRecovery(client, azurite.connectionString, workOrderId, outcomes);
    return {
      sent: outcomes.length,
      inFlightAtStop,
      sentWhileDown: during.length,
      acknowledgedAfterRestart: outcomes.slice(load.length + during.length).filter((o) => o.acknowledged).length,
      ...audit,
    };
  } finally {
    await host.stop();
    await azurite.stop();
    fs.rmSync(location, { recursive: true, force: true });
  }
}
