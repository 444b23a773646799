import { TableClient } from '@azure/data-tables';
import { CSAM_HEADER, createWorkOrder, hostClient, incidentEventTrios, startAzuriteAndHost } from './support';

/**
 * Issue 18: the same ticket events delivered `deliveries` times in total through the local Service Bus, `concurrency`
 * sends at a time in a shuffled order (so copies of one event race each other and a severity change may come before
 * its opening). Half of each event's copies reuse its messageId (the bus's duplicate detection answers them); the
 * other half carry a fresh messageId each, so they reach the function and only the product's eventId claim stands
 * between them and a second effect. Afterwards the effects are counted in storage: kept events, timeline entries and
 * first-response history entries per eventId, incidents and their durable clocks. doubled = effects beyond one per
 * event.
 */
export async function benchDuplicateDeliveries(deliveries = 10_000, concurrency = 32): Promise<Record<string, number>> {
  // After every event's occurredAt (RESP-LATE rejects events dated more than 10 minutes ahead), before any due time.
  const { azurite, base, stop } = await startAzuriteAndHost({ clockStart: '2027-03-01T08:25:00Z' });
  const csam = CSAM_HEADER;
  const { post } = hostClient(base);
  try {
    const { id: workOrderId } = await createWorkOrder(base, {
      customerId: 'bench',
      number: 'WO-DUP',
      proactiveCredits: { NL: 10 },
    });

    // 500 distinct events (opened, severity change, first response for each incident), 20 copies each.
    const copies = 20;
    const incidents = Math.ceil(deliveries / copies / 3);
    const events = incidentEventTrios(workOrderId, incidents, 'DUP', 'duplicate deliveries');
    const sends: Array<{ messageId: string; body: Record<string, unknown> }> = [];
    for (let copy = 0; copy < copies && sends.length < deliveries; copy++)
      for (const body of events) {
        if (sends.length >= deliveries) break;
        const eventId = String(body['eventId']);
        sends.push({ messageId: copy % 2 === 0 ? eventId : `${eventId}~${copy}`, body });
      }
    // A fixed shuffle (same order every run), so copies of one event are in flight together.
    let seed = 18;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let i = sends.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [sends[i], sends[j]] = [sends[j] as (typeof sends)[number], sends[i] as (typeof sends)[number]];
    }

    let accepted = 0;
    let busDuplicates = 0;
    let refused = 0;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < sends.length) {
          const send = sends[next++] as (typeof sends)[number];
          const response = await post('/admin/servicebus/ticket-events/messages', send);
          if (response.status !== 202) {
            refused++;
            continue;
          }
          if (((await response.json()) as { duplicate: boolean }).duplicate) busDuplicates++;
          else accepted++;
        }
      }),
    );
    await post('/admin/settle', {});
    const seconds = (performance.now() - started) / 1000;

    // Effects, counted in storage.
    const workOrders = TableClient.fromConnectionString(azurite.connectionString, 'UslWorkOrders', {
      allowInsecureConnection: true,
    });
    const perEvent = new Map<string, number>();
    const effect = (key: string) => perEvent.set(key, (perEvent.get(key) ?? 0) + 1);
    let keptEvents = 0;
    let applied = 0;
    let timelineEntries = 0;
    let incidentRows = 0;
    let met = 0;
    for await (const row of workOrders.listEntities<Record<string, unknown>>({
      // The incidents' partitions ({workOrderId}|{incidentId}): their rows, kept events and timeline entries.
      queryOptions: { filter: `PartitionKey gt '${workOrderId}|' and PartitionKey lt '${workOrderId}}'` },
    })) {
      const rowKey = String(row.rowKey);
      if (rowKey.startsWith('ievent|')) {
        keptEvents++;
        effect(`kept:${String(row['eventId'])}`);
      } else if (rowKey.startsWith('timeline|')) {
        // timeline|{at}|{incidentId}|{cause}|{n}: one entry per change an event caused (counted without its time).
        const [, , incidentId, cause, n] = rowKey.split('|');
        if (incidentId?.startsWith('DUP-')) {
          timelineEntries++;
          effect(`timeline:${incidentId}:${cause}:${n}:${String(row['kind'])}`);
        }
      } else if (rowKey.startsWith('incident|')) {
        incidentRows++;
        const incident = JSON.parse(String(row['incident'])) as {
          firstResponse: { state: string; explanation?: { history?: Array<{ eventId?: string; cause: string }> } };
        };
        if (incident.firstResponse.state === 'met') met++;
        for (const h of incident.firstResponse.explanation?.history ?? [])
          if (h.eventId) effect(`history:${rowKey}:${h.eventId}:${h.cause}`);
      }
    }
    // As the API shows them: each incident lists its three events once, each applied.
    for (let i = 0; i < incidents; i++) {
      const view = (await (await fetch(`${base}/api/incidents/DUP-${i}`, { headers: csam })).json()) as {
        events: Array<{ eventId: string; effect: string }>;
      };
      for (const e of view.events) {
        if (e.effect === 'applied') applied++;
        effect(`listed:${e.eventId}`);
      }
    }
    const instances = TableClient.fromConnectionString(azurite.connectionString, 'DurableHubUnifiedSupportLifecycle', {
      allowInsecureConnection: true,
    });
    let clocks = 0;
    for await (const row of instances.listEntities<Record<string, unknown>>({
      queryOptions: {
        filter: `RowKey eq 'instance' and PartitionKey ge 'incident-sla-DUP-' and PartitionKey lt 'incident-sla-DUP.'`,
      },
    }))
      if (row.partitionKey) clocks++;
    const deadLettered = (
      (await (await fetch(`${base}/admin/servicebus/ticket-events/deadletter`)).json()) as unknown[]
    ).length;
    if (process.env['BENCH_DEBUG']) console.error([...perEvent].filter(([, n]) => n > 1));
    const doubled = [...perEvent.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    return {
      deliveries: sends.length,
      distinctEvents: events.length,
      incidents,
      concurrency,
      acceptedByBus: accepted,
      busDuplicates,
      refused,
      deadLettered,
      seconds: Number(seconds.toFixed(1)),
      deliveriesPerSec: Math.round(sends.length / seconds),
      effects: keptEvents,
      timelineEntries,
      incidentRows,
      firstResponsesMet: met,
      durableClocks: clocks,
      appliedEvents: applied,
      doubled,
    };
  } finally {
    await stop();
  }
}
