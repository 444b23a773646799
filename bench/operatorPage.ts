import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS, CSAM_HEADER, startAzuriteAndHost, workOrderBody } from './support';

const CSAM = CSAM_HEADER['x-ms-client-principal'];

/**
 * The operator page's load time in headless Chromium (Debian's package) for a Work Order with `incidents` incidents
 * plus an AEM event and a cybersecurity engagement, next to the same page for a Work Order with 3 incidents on the
 * same host (the baseline), and the time the API alone takes to answer the page's reads. Median of `runs` loads each.
 */
export async function benchOperatorPage(incidents = 1000, runs = 5): Promise<Record<string, number>> {
  const { base: url, stop } = await startAzuriteAndHost({ clockStart: '2027-03-01T07:00:00Z' });
  const call = async (method: string, pathname: string, body?: unknown) => {
    const response = await fetch(`${url}${pathname}`, {
      method,
      headers: { 'x-ms-client-principal': CSAM, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${pathname}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<Record<string, unknown>>;
  };
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'usl-bench-chromium-'));
  try {
    const seed = async (number: string, count: number) => {
      const wo = await call(
        'POST',
        '/api/work-orders',
        workOrderBody({
          number,
          flexAllocations: [],
          entitlements: [
            { serviceCode: 'UER' },
            { serviceCode: 'AEM', quantity: 3 },
            { serviceCode: 'CYBER_INCIDENT_RESPONSE', days: 10 },
          ],
        }),
      );
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
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
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
    await stop();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}
