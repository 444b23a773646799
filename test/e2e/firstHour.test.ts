import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type RunningAzurite } from '../../infra/local/azurite';
import { startTestAzurite } from '../support/azurite';
import { projectRoot, startHostProcess, type HostProcess } from '../support/hostProcess';
import { reader } from '../support/principals';

const example = (name: string) => fs.readFileSync(path.join(projectRoot, 'examples', name), 'utf8');
const csamHeader = { 'x-ms-client-principal': Buffer.from(example('csam-principal.json')).toString('base64') };
const CLOCK_START = '2027-03-05T15:45:00Z'; // Friday 16:45 in Amsterdam

/** `npm run send -- ...` as the README runs it (the built CLI), with a file's text on standard input. */
function send(args: string[], input: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [path.join(projectRoot, 'dist/infra/local/cli.js'), 'send', ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, PORT: '', HOST_URL: '' },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/**
 * The README's "first hour", with the files in examples/: a CSAM registers a Work Order, a ticketing system opens an
 * incident on a Friday afternoon, the clock runs past its due time on Monday (breach), and a first response that
 * happened before the due time arrives late and corrects it (RESP-LATE).
 */
describe('first hour (README walkthrough with examples/)', () => {
  let azurite: RunningAzurite;
  let host: HostProcess;
  let port: number;
  let workOrderId: string;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    port = await freePort();
    host = await startHostProcess({
      storageConnectionString: azurite.connectionString,
      clockStart: CLOCK_START,
      port,
      env: { LOCAL_HOST_LOG_LEVEL: 'information' },
    });
  });
  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
  });

  it('says which clock it started on, and why', () => {
    expect(host.output()).toContain(
      `Clock: virtual, starting at CLOCK_START 2027-03-05T15:45:00.000Z (no clock stored yet)`,
    );
  });

  it('RESP-BASE, HOURS-1, RESP-LATE: open → breach → late correction, read back as a person would', async () => {
    const created = await host.post('/api/work-orders', JSON.parse(example('work-order.json')), csamHeader);
    expect(created.status).toBe(201);
    workOrderId = ((await created.json()) as { id: string }).id;

    const opened = send(
      ['--port', String(port), 'ticket-events', '-'],
      example('incident-opened.json').replace('<work-order-id>', workOrderId),
    );
    expect(opened.stdout).toContain(`POST http://localhost:${port}/admin/servicebus/ticket-events/messages → 202`);
    await host.settle();
    const read = async () =>
      (await (await host.get('/api/incidents/INC-1001', csamHeader)).json()) as {
        firstResponse: { dueAt: string; state: string; explanation: { text: string } };
      };
    expect((await read()).firstResponse).toMatchObject({ dueAt: '2027-03-08T10:20:00+01:00', state: 'pending' });
    expect((await read()).firstResponse.explanation.text).toContain('Saturday and Sunday skipped');

    await host.post('/admin/clock', { to: '2027-03-08T09:30:00Z' }); // Monday 10:30 in Amsterdam
    expect((await read()).firstResponse.state).toBe('breached');
    const notices = (await (await host.get('/admin/servicebus/lifecycle-notifications/messages')).json()) as Array<{
      body: { kind: string };
    }>;
    expect(notices.map((n) => n.body.kind)).toEqual(
      expect.arrayContaining(['firstResponseWarning', 'firstResponseBreached']),
    );

    const late = send(
      ['--port', String(port), 'ticket-events', '-'],
      example('first-response.json').replace('<work-order-id>', workOrderId),
    );
    expect(late.status).toBe(0);
    await host.settle();
    expect((await read()).firstResponse.state).toBe('met');
    const timeline = (await (
      await host.get(`/api/work-orders/${workOrderId}/timeline?limit=100`, csamHeader)
    ).json()) as {
      items: Array<{ kind: string }>;
    };
    expect(timeline.items.map((t) => t.kind)).toEqual(
      expect.arrayContaining(['incidentOpened', 'firstResponseBreached', 'breachCorrected']),
    );
  });

  it('an unknown queue is 404 naming the real ones; a 403 names the role it needs; send names the URL it tried', async () => {
    const typo = await host.post('/admin/servicebus/ticket-event/messages', { body: {} });
    expect(typo.status).toBe(404);
    expect(((await typo.json()) as { detail: string }).detail).toContain("'ticket-events'");

    const forbidden = await host.post(
      `/api/work-orders/${workOrderId}/credits/redemptions`,
      { country: 'NL', serviceCode: 'WORKSHOP', value: 1 },
      reader('contoso'),
    );
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { detail: string }).detail).toContain('Customer.Manager or Provider.Csam');

    const closed = await freePort();
    const nobody = send(['--port', String(closed), 'ticket-events', '-'], example('incident-opened.json'));
    expect(nobody.status).toBe(1);
    expect(nobody.stderr).toContain(
      `Could not reach the local host at http://localhost:${closed}/admin/servicebus/ticket-events/messages`,
    );
  });

  it('a restarted host says it resumed its stored clock rather than CLOCK_START', async () => {
    await host.stop();
    host = await startHostProcess({
      storageConnectionString: azurite.connectionString,
      clockStart: CLOCK_START,
      env: { LOCAL_HOST_LOG_LEVEL: 'information' },
    });
    expect(host.output()).toContain('Clock: virtual, resumed at 2027-03-08T09:30:00.000Z');
  });
});
