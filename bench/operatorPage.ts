import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { freePort, startAzurite } from '../infra/local/azurite';

const root = path.resolve(__dirname, '../..');
const CSAM = Buffer.from(
  JSON.stringify({ auth_typ: 'aad', claims: [{ typ: 'roles', val: 'Provider.Csam' }] }),
).toString('base64');

/**
 * The operator page's load time in headless Chromium (Debian's package) for a Work Order with `incidents` incidents
 * plus an AEM event and a cybersecurity engagement, next to the same page for a Work Order with 3 incidents on the
 * same host (the baseline), and the time the API alone takes to answer the page's reads. Median of `runs` loads each.
 */
export async function benchOperatorPage(incidents = 1000, runs = 5): Promise<Record<string, number>> {
  const azurite = await startAzurite({ port: await freePort() });
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(root, 'dist/infra/local/main.js')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      AzureWebJobsStorage: azurite.connectionString,
      CLOCK_START: '2027-03-01T07:00:00Z',
      LOCAL_HOST_LOG_LEVEL: 'error',
    },
    stdio: 'ignore',
  });
  const url = `http://localhost:${port}`;
  const call = async (method: string, pathname: string, body?: unknown) => {
    const response = await fetch(`${url}${pathname}`, {
      method,
      headers: { 'x-ms-client-principal': CSAM, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${pathname}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<Record<string, unknown>>;
  };
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/admin/health`)).ok) break;
    } catch {
      if (i > 300) throw new Error('host did not start');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'usl-bench-chromium-'));
  try {
    const seed = async (number: string, count: number) => {
      const wo = await call('POST', '/api/work-orders', {
        customerId: 'contoso',
        number,
        signedAt: '2026-12-15',
        term: { start: '2027-01-01', end: '2028-12-31' },
        host: { country: 'NL', timeZone: 'Europe/Amsterdam' },
        downstream: [],
        currency: 'USD',
        basePackage: { listPrice: 1200000, flexAllowancePerYear: 150000 },
        flexAllocations: [],
        entitlements: [
          { serviceCode: 'UER' },
          { serviceCode: 'AEM', quantity: 3 },
          { serviceCode: 'CYBER_INCIDENT_RESPONSE', days: 10 },
        ],
        proactiveCredits: { NL: 200 },
      });
      const id = String(wo['id']);
      await call('POST', `/api/work-orders/${id}/cyber-engagements`, {
        offering: 'CYBER_INCIDENT_RESPONSE',
        start: '2027-03-08',
        days: 5,
        timeZone: 'Europe/Amsterdam',
      });
      await call('POST', `/api/work-orders/${id}/aem-events`, {
        solutionName: 'checkout',
        cloud: 'AzurePublic',
        start: '2027-04-20',
        days: 3,
        confirmedAt: '2027-03-01',
      });
      for (let start = 0; start < count; start += 50) {
        await Promise.all(
          Array.from({ length: Math.min(50, count - start) }, (_, k) => {
            const n = start + k;
            const eventId = `${number}-INC-${n}-open`;
            return fetch(`${url}/admin/servicebus/ticket-events/messages`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({
                messageId: eventId,
                body: {
                  eventId,
                  type: 'IncidentOpened',
                  incidentId: `${number}-INC-${n}`,
                  workOrderId: id,
                  occurredAt: new Date(Date.parse('2027-03-01T06:00:00Z') + n * 3_000).toISOString(),
                  severity: ['A', 'B', 'C'][n % 3],
                  product: { family: 'Azure', service: 'Azure SQL Database' },
                  channel: 'phone',
                  location: 'NL',
                },
              }),
            });
          }),
        );
      }
      await fetch(`${url}/admin/settle`, { method: 'POST' });
      return id;
    };
    const small = await seed('WO-SMALL', 3);
    const large = await seed('WO-LARGE', incidents);
    await fetch(`${url}/admin/clock`, { method: 'POST', body: JSON.stringify({ to: '2027-03-01T08:45:00Z' }) });
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
    // navigation start → the page has fetched everything and painted the axis (body[data-loaded-ms] is then set)
    const load = async (id: string) => {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        await page.goto(`${url}/api/ui?workOrder=${id}`);
        await page.waitForSelector('body[data-loaded-ms]', { timeout: 120_000 });
        times.push(await page.evaluate<number>('performance.now()'));
      }
      return median(times);
    };
    const apiOnly = async (id: string) => {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        let token: string | null = null;
        do {
          const q: string = token ? `&continuationToken=${encodeURIComponent(token)}` : '';
          const deadlinesPage = await call('GET', `/api/work-orders/${id}/deadlines?limit=500${q}`);
          token = (deadlinesPage['continuationToken'] as string | null) ?? null;
        } while (token);
        await Promise.all([
          call('GET', `/api/work-orders/${id}`),
          call('GET', `/api/work-orders/${id}/timeline?limit=200`),
        ]);
        times.push(performance.now() - started);
      }
      return median(times);
    };
    const baselineMs = await load(small);
    const pageMs = await load(large);
    const deadlines = await page.evaluate<number>(
      "Number((document.querySelector('#axis-h + p, .muted') || {}).textContent?.match(/of (\\d+) deadlines/)?.[1] ?? 0)",
    );
    const apiMs = await apiOnly(large);
    await context.close();
    return {
      incidents,
      deadlines,
      pageLoadMs: Math.round(pageMs),
      baselinePageLoadMs3Incidents: Math.round(baselineMs),
      ratioToBaseline: Math.round((pageMs / baselineMs) * 100) / 100,
      apiReadsMs: Math.round(apiMs),
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await azurite.stop();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}
