import { TableClient } from '@azure/data-tables';
import { countsSummary, cpuMs, CSAM_HEADER, createWorkOrder, FLEX_YEAR_1, startAzuriteAndHost } from './support';

/**
 * Wall time to simulate one contract year on the virtual clock: a Work Order with UER, 3 AEM events and 2
 * cybersecurity engagements, and 1,000 incidents through the ticket-events queue (opened; half answered in time,
 * half left to breach; all closed), the clock advanced month by month so every timer, sweep and lifecycle runs.
 * Baseline in the same run: the time for as many raw Azurite inserts as ticket events sent.
 * The CPU time host and Azurite used during the year tells which one bounds it: `storageBoundRatio` is the ratio the
 * year would reach if the host cost nothing and Azurite (one Node process, one core) were busy all the time.
 * `BENCH_COUNT_REQUESTS=1` puts a counting proxy between host and Azurite and adds the requests by table and kind.
 */
export async function benchContractYear(incidents = 1000): Promise<Record<string, number | string>> {
  const countRequests = process.env['BENCH_COUNT_REQUESTS'] === '1';
  const { azurite, base, child, stop, counts } = await startAzuriteAndHost({
    clockStart: '2027-01-01T00:00:00Z',
    countRequests,
  });
  const principal = CSAM_HEADER;
  const post = async (p: string, body: unknown) => {
    const response = await fetch(`${base}${p}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...principal },
      body: JSON.stringify(body),
    });
    if (response.status >= 400) throw new Error(`${p}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<{ id?: string }>;
  };
  try {
    const started = performance.now();
    const [hostCpu0, azuriteCpu0] = [cpuMs(child.pid), cpuMs(azurite.pid)];
    const { id: workOrderId } = await createWorkOrder(base, {
      customerId: 'bench',
      number: 'WO-YEAR',
      term: { start: '2027-01-01', end: '2027-12-31' },
      flexAllocations: FLEX_YEAR_1,
      entitlements: [
        { serviceCode: 'UER' },
        { serviceCode: 'AEM', quantity: 3 },
        { serviceCode: 'CYBER_INCIDENT_RESPONSE', days: 10 },
      ],
    });
    for (const start of ['2027-03-10', '2027-06-10', '2027-09-10'])
      await post(`/api/work-orders/${workOrderId}/aem-events`, {
        solutionName: `s-${start}`,
        cloud: 'AzurePublic',
        start,
        days: 1,
        confirmedAt: '2027-01-02',
      });
    for (const start of ['2027-04-05', '2027-10-04'])
      await post(`/api/work-orders/${workOrderId}/cyber-engagements`, {
        offering: 'CYBER_INCIDENT_RESPONSE',
        start,
        days: 5,
        timeZone: 'America/Los_Angeles',
      });
    let sent = 0;
    let clockMs = 0;
    const advance = async (to: string) => {
      const t = performance.now();
      if (counts) counts.phase = 'advance';
      await fetch(`${base}/admin/clock`, { method: 'POST', body: JSON.stringify({ to }) });
      if (counts) counts.phase = 'send';
      clockMs += performance.now() - t;
    };
    const send = (body: Record<string, unknown>) => {
      sent++;
      return post('/admin/servicebus/ticket-events/messages', { messageId: body['eventId'], body });
    };
    const perMonth = Math.ceil(incidents / 12);
    for (let month = 0; month < 12; month++) {
      const batch = Array.from(
        { length: Math.min(perMonth, incidents - month * perMonth) },
        (_, i) => month * perMonth + i,
      );
      // Four opening days a month, 09:00-09:07; each day's events are sent when they happen (RESP-LATE rejects events
      // dated more than 10 minutes ahead): the clock is moved to 09:12 first, the responses (+10 min) are within it.
      const day = (n: number) => 1 + 7 * (Math.floor(n / 4) % 4);
      const opened = (n: number) => new Date(Date.UTC(2027, month, day(n), 8, n % 8)).toISOString();
      for (const d of [...new Set(batch.map(day))].sort((a, b) => a - b)) {
        const today = batch.filter((n) => day(n) === d);
        await advance(new Date(Date.UTC(2027, month, d, 8, 12)).toISOString());
        await Promise.all(
          today.map((n) =>
            send({
              eventId: `o${n}`,
              type: 'IncidentOpened',
              occurredAt: opened(n),
              incidentId: `I${n}`,
              workOrderId,
              severity: ['1', 'A', 'B', 'C'][n % 4],
              product: { family: n % 3 ? 'Azure' : 'Microsoft 365', service: 'Service' },
              channel: n % 2 ? 'azurePortal' : 'phone',
              description: n % 5 ? 'x' : 'AEM',
              location: 'NL',
            }),
          ),
        );
        await Promise.all(
          today
            .filter((n) => n % 2 === 0)
            .map((n) =>
              send({
                eventId: `f${n}`,
                type: 'FirstResponse',
                occurredAt: new Date(Date.parse(opened(n)) + 10 * 60_000).toISOString(),
                incidentId: `I${n}`,
                workOrderId,
                automated: false,
              }),
            ),
        );
      }
      await advance(new Date(Date.UTC(2027, month + 1, 1)).toISOString());
      await Promise.all(
        batch.map((n) =>
          send({
            eventId: `c${n}`,
            type: 'Closed',
            occurredAt: new Date(Date.UTC(2027, month + 1, 1)).toISOString(),
            incidentId: `I${n}`,
            workOrderId,
          }),
        ),
      );
    }
    await advance('2028-01-02T00:00:00Z');
    const wallMs = performance.now() - started;
    const [hostCpu, azuriteCpu] = [cpuMs(child.pid) - hostCpu0, cpuMs(azurite.pid) - azuriteCpu0];
    const view = (await (await fetch(`${base}/api/work-orders/${workOrderId}`, { headers: principal })).json()) as {
      status: string;
    };
    const breached = (await (
      await fetch(`${base}/api/work-orders/${workOrderId}/incidents?state=breached&limit=500`, { headers: principal })
    ).json()) as { items: unknown[] };

    const table = TableClient.fromConnectionString(azurite.connectionString, 'YearBaseline', {
      allowInsecureConnection: true,
    });
    await table.createTable();
    const baselineStart = performance.now();
    for (let i = 0; i < sent; i++) await table.createEntity({ partitionKey: 'p', rowKey: String(i), v: i });
    const baselineMs = performance.now() - baselineStart;
    return {
      incidents,
      ticketEvents: sent,
      wallMs: Math.round(wallMs),
      clockAdvanceMs: Math.round(clockMs),
      rawInsertsMs: Math.round(baselineMs),
      ratioToRawInserts: Number((wallMs / baselineMs).toFixed(1)),
      hostCpuMs: Math.round(hostCpu),
      azuriteCpuMs: Math.round(azuriteCpu),
      storageBoundRatio: Number((azuriteCpu / baselineMs).toFixed(1)),
      workOrderExpired: view.status === 'expired' ? 1 : 0,
      breachedFirstPage: breached.items.length,
      ...(counts ? { azuriteRequests: counts.total, ...countsSummary(counts) } : {}),
    };
  } finally {
    await stop();
  }
}
