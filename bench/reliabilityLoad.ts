import { TableClient } from '@azure/data-tables';
import { CSAM_HEADER, principalHeader, workOrderBody, type HostClient } from './support';

/**
 * The reliability scenarios' load and audit (issue 18 part 3), shared by `test/e2e/reliability.test.ts` (bounded,
 * asserting) and `npm run bench -- reliability` (longer, reporting): redemptions and ticket events fired at once,
 * then, after a crash or an outage, what was acknowledged checked against what storage holds.
 */

/** Wednesday 10:00 in Amsterdam: Base Sev B incidents opened now are due within the same business day. */
export const RELIABILITY_CLOCK_START = '2027-03-03T09:00:00Z';
const OPENED_AT = '2027-03-03T10:00:00+01:00';
/** The Work Order body's NL proactive credits (bench/support.ts workOrderBody). */
export const STARTING_CREDITS = 200;

const MANAGER = principalHeader(['Customer.Manager'], 'contoso');

export interface Outcome {
  kind: 'redemption' | 'event';
  key: string;
  /** 201/202: the host acknowledged it. Anything else (or no answer) leaves it unknown, never half-done. */
  acknowledged: boolean;
}

let redemptionSeq = 0;

/** Fires `count` redemptions of distinct values (each deducts 1 credit, CRED-1) and `count` IncidentOpened events. */
export function fireLoad(host: HostClient, workOrderId: string, tag: string, count: number): Array<Promise<Outcome>> {
  const load: Array<Promise<Outcome>> = [];
  for (let i = 0; i < count; i++) {
    const value = 1 + ++redemptionSeq / 10_000; // distinct per redemption, deducts 1 (CRED-1 rounds to nearest)
    load.push(
      host
        .post(
          `/api/work-orders/${workOrderId}/credits/redemptions`,
          { country: 'NL', serviceCode: 'WORKSHOP', value },
          MANAGER,
        )
        .then(
          (r) => ({ kind: 'redemption' as const, key: String(value), acknowledged: r.status === 201 }),
          () => ({ kind: 'redemption' as const, key: String(value), acknowledged: false }),
        ),
    );
    const eventId = `evt-${tag}-${i}`;
    load.push(
      host
        .post('/admin/servicebus/ticket-events/messages', {
          messageId: eventId,
          body: {
            eventId,
            workOrderId,
            type: 'IncidentOpened',
            occurredAt: OPENED_AT,
            incidentId: `INC-${tag}-${i}`,
            severity: 'B',
            product: { family: 'Azure', service: 'Azure SQL Database' },
            channel: 'phone',
            description: 'reliability',
            location: 'NL',
          },
        })
        .then(
          (r) => ({ kind: 'event' as const, key: `INC-${tag}-${i}`, acknowledged: r.status === 202 }),
          () => ({ kind: 'event' as const, key: `INC-${tag}-${i}`, acknowledged: false }),
        ),
    );
  }
  return load;
}

/** What storage and the settled host hold against what was acknowledged. */
export interface ReliabilityAudit {
  acknowledged: number;
  redeemed: number;
  incidents: number;
  /** Acknowledged but not found. */
  lost: number;
  /** Applied more than once. */
  doubled: number;
  ledger: { rows: number; timelineEntries: number; distinctBalancesAfter: number; balance: number; expected: number };
  /** Every incident's first-response clock, on the virtual clock: pending a minute before its due time, breached a minute after. */
  clocks: { distinctDueTimes: number; pendingAtStart: number; pendingBeforeDue: number; breachedAfterDue: number };
}

interface IncidentView {
  firstResponse: { dueAt: string; state: string };
  events: Array<{ eventId: string; effect: string }>;
}

export async function ledgerRows(
  connectionString: string,
  workOrderId: string,
): Promise<Array<{ credits: number; balanceAfter: number }>> {
  const table = TableClient.fromConnectionString(connectionString, 'UslWorkOrders', { allowInsecureConnection: true });
  const rows: Array<{ credits: number; balanceAfter: number }> = [];
  for await (const row of table.listEntities<{ credits: number; balanceAfter: number }>({
    queryOptions: { filter: `PartitionKey eq '${workOrderId}' and RowKey ge 'ledger|' and RowKey lt 'ledger}'` },
  }))
    rows.push({ credits: Number(row.credits), balanceAfter: Number(row.balanceAfter) });
  return rows;
}

async function json<T>(response: Promise<Response>): Promise<T> {
  return (await (await response).json()) as T;
}

/**
 * Every acknowledged redemption in the ledger exactly once (unacknowledged ones at most once) and the balance the
 * ledger's sum; every accepted event applied exactly once; then the clock moved past the incidents' due time.
 */
export async function auditAfterRecovery(
  host: HostClient,
  connectionString: string,
  workOrderId: string,
  outcomes: Outcome[],
): Promise<ReliabilityAudit> {
  const timeline: Array<{ kind: string; detail: string }> = [];
  for (let token: string | null = ''; token !== null;) {
    const query = token ? `&continuationToken=${encodeURIComponent(token)}` : '';
    const page: { items: Array<{ kind: string; detail: string }>; continuationToken: string | null } = await json(
      host.get(`/api/work-orders/${workOrderId}/timeline?limit=500${query}`, CSAM_HEADER),
    );
    timeline.push(...page.items.filter((e) => e.kind === 'creditsRedeemed'));
    token = page.continuationToken;
  }
  const redeemedValues = timeline.map((e) => /\(value ([\d.]+)\)/.exec(e.detail)?.[1] ?? '?');
  const ledger = await ledgerRows(connectionString, workOrderId);
  const view = await json<{ creditBalances: Record<string, number> }>(
    host.get(`/api/work-orders/${workOrderId}`, CSAM_HEADER),
  );
  let lost = 0;
  let doubled = 0;
  for (const o of outcomes.filter((x) => x.kind === 'redemption')) {
    const times = redeemedValues.filter((v) => v === o.key).length;
    if (o.acknowledged && times === 0) lost++;
    if (times > 1) doubled++;
  }
  const incidents = new Map<string, IncidentView>();
  for (const o of outcomes.filter((x) => x.kind === 'event')) {
    const response = await host.get(`/api/incidents/${o.key}`, CSAM_HEADER);
    if (response.status === 404) {
      if (o.acknowledged) lost++;
      continue;
    }
    if (response.status !== 200) throw new Error(`GET /api/incidents/${o.key} answered ${response.status}`);
    const incident = (await response.json()) as IncidentView;
    if (incident.events.filter((e) => e.effect === 'applied').length > 1) doubled++;
    incidents.set(o.key, incident);
  }

  // Every orchestration resumed: each incident's clock breaches at its due time, not before.
  const due = [...incidents.values()].map((i) => Date.parse(i.firstResponse.dueAt));
  const states = async (state: string) => {
    let n = 0;
    for (const key of incidents.keys())
      if ((await json<IncidentView>(host.get(`/api/incidents/${key}`, CSAM_HEADER))).firstResponse.state === state) n++;
    return n;
  };
  const pendingAtStart = [...incidents.values()].filter((i) => i.firstResponse.state === 'pending').length;
  await host.post('/admin/clock', { to: new Date(Math.max(...due) - 60_000).toISOString() });
  const pendingBeforeDue = await states('pending');
  await host.post('/admin/clock', { to: new Date(Math.max(...due) + 60_000).toISOString() });
  const breachedAfterDue = await states('breached');
  return {
    acknowledged: outcomes.filter((o) => o.acknowledged).length,
    redeemed: ledger.length,
    incidents: incidents.size,
    lost,
    doubled,
    ledger: {
      rows: ledger.length,
      timelineEntries: timeline.length,
      distinctBalancesAfter: new Set(ledger.map((r) => r.balanceAfter)).size,
      balance: view.creditBalances['NL'] ?? Number.NaN,
      expected: STARTING_CREDITS - ledger.reduce((sum, r) => sum + r.credits, 0),
    },
    clocks: { distinctDueTimes: new Set(due).size, pendingAtStart, pendingBeforeDue, breachedAfterDue },
  };
}

/** CRED-2: `count` concurrent redemptions of `value` credits on a fresh Work Order's balance of 200. */
export async function concurrentRedemptions(
  host: HostClient,
  connectionString: string,
  count: number,
  value: number,
): Promise<{
  created: number;
  refused: number;
  other: number;
  lowestBalance: number;
  distinctBalances: number;
  ledgerRows: number;
  balance: number;
}> {
  const workOrderId = await createReliabilityWorkOrder(host, `WO-${count}x${value}`);
  const responses = await Promise.all(
    Array.from({ length: count }, () =>
      host.post(
        `/api/work-orders/${workOrderId}/credits/redemptions`,
        { country: 'NL', serviceCode: 'WORKSHOP', value },
        MANAGER,
      ),
    ),
  );
  const created = responses.filter((r) => r.status === 201);
  const balances = await Promise.all(created.map(async (r) => ((await r.json()) as { balance: number }).balance));
  const view = await json<{ creditBalances: Record<string, number> }>(
    host.get(`/api/work-orders/${workOrderId}`, CSAM_HEADER),
  );
  return {
    created: created.length,
    refused: responses.filter((r) => r.status === 422).length,
    other: responses.filter((r) => r.status !== 201 && r.status !== 422).length,
    lowestBalance: Math.min(...balances),
    distinctBalances: new Set(balances).size,
    ledgerRows: (await ledgerRows(connectionString, workOrderId)).length,
    balance: view.creditBalances['NL'] ?? Number.NaN,
  };
}

export async function createReliabilityWorkOrder(host: HostClient, number: string): Promise<string> {
  const response = await host.post('/api/work-orders', workOrderBody({ number }), CSAM_HEADER);
  if (response.status !== 201) throw new Error(`POST /api/work-orders answered ${response.status}`);
  return ((await response.json()) as { id: string }).id;
}
