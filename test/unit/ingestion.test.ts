// Ingestion's decisions with in-memory ports (test/support/inMemoryIncidentPorts.ts), without Azurite: what is
// rejected and why (RESP-LATE, MN-1), one eventId one effect, held events and their expiry, retries on ETag conflicts.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  CLAIM_TAKEOVER_MINUTES,
  HELD_EVENTS_EXPIRE_AFTER_DAYS,
  HELD_TICKET_EVENTS,
  ingestTicketEvent,
  rejectHeldEvents,
  type IngestionDeps,
} from '../../app/ingestion';
import { CONFLICT_ATTEMPTS } from '../../app/retryOnConflict';
import { ConcurrencyConflict } from '../../domain/incidents/incidentStore';
import type { IncidentClock } from '../../domain/incidents/incident';
import { WorkOrderIncidentContext } from '../../domain/incidents/workOrderContext';
import { ID_MESSAGE } from '../../domain/input';
import { acceptWorkOrder } from '../../domain/workOrder/workOrderView';
import {
  InMemoryDueIndex,
  InMemoryEventClaims,
  InMemoryIncidentStore,
  InMemoryRejections,
  InMemoryWorkOrders,
} from '../support/inMemoryIncidentPorts';
import { workOrderBody } from '../support/workOrderFixtures';

const T0 = new Date('2027-03-05T10:00:00Z');

let incidents: InMemoryIncidentStore;
let claims: InMemoryEventClaims;
let rejections: InMemoryRejections;
let dueIndex: InMemoryDueIndex;
let workOrders: InMemoryWorkOrders;
let synced: Array<{ clock: IncidentClock; started: boolean | undefined }>;
let now: Date;
let contextReads: number;
let deps: IngestionDeps;

beforeEach(() => {
  incidents = new InMemoryIncidentStore();
  claims = new InMemoryEventClaims();
  rejections = new InMemoryRejections();
  dueIndex = new InMemoryDueIndex();
  workOrders = new InMemoryWorkOrders();
  for (const [id, customerId] of [
    ['wo-a', 'contoso'],
    ['wo-b', 'fabrikam'],
  ] as const)
    workOrders.workOrders.set(
      id,
      acceptWorkOrder(workOrderBody({ customerId, number: `WO-${id}` }), { id, asOf: '2026-12-15' }),
    );
  synced = [];
  now = T0;
  contextReads = 0;
  const context = new WorkOrderIncidentContext(workOrders);
  deps = {
    incidents,
    claims,
    rejections,
    workOrders: {
      contextFor: (...args) => {
        contextReads++;
        return context.contextFor(...args);
      },
    },
    lifecycle: { sync: async (clock, options) => void synced.push({ clock, started: options?.started }) },
    dueIndex,
    now: () => now,
  };
});

const opened = (over: Record<string, unknown> = {}) => ({
  eventId: 'e-open',
  type: 'IncidentOpened',
  // Friday 10:00 in Amsterdam: Base severity B, 120 business minutes (RESP-BASE, INC-5)
  occurredAt: '2027-03-05T09:00:00Z',
  incidentId: 'INC-1',
  workOrderId: 'wo-a',
  severity: 'B',
  product: { family: 'Azure', service: 'Azure SQL Database' },
  channel: 'phone',
  location: 'NL',
  ...over,
});
const event = (type: string, eventId: string, occurredAt: string, over: Record<string, unknown> = {}) => ({
  eventId,
  type,
  occurredAt,
  incidentId: 'INC-1',
  workOrderId: 'wo-a',
  ...(type === 'SeverityChanged' ? { severity: 'A' } : {}),
  ...(type === 'FirstResponse' ? { automated: false } : {}),
  ...over,
});
const ingest = (body: unknown, messageId: string) => ingestTicketEvent(body, { messageId }, deps);
const keptIds = (workOrderId = 'wo-a', incidentId = 'INC-1') => [
  ...(incidents.kept.get(`${workOrderId}|${incidentId}`)?.keys() ?? []),
];
const rejected = () => [...rejections.rows.values()];

describe('ingestion applies a ticket event once (RESP-LATE)', () => {
  it('RESP-LATE: an opening applies, keeps its event and starts the clock; a later response applies on the stored state', async () => {
    const first = await ingest(opened(), 'm-1');
    expect(first).toEqual({
      outcome: 'applied',
      clock: {
        incidentId: 'INC-1',
        status: 'open',
        state: 'pending',
        dueAt: '2027-03-05T12:00:00+01:00',
        warningAt: '2027-03-05T11:36:00+01:00',
      },
      changes: ['incidentOpened'],
    });
    expect(synced).toEqual([{ clock: first.outcome === 'applied' && first.clock, started: true }]);
    expect(keptIds()).toEqual(['e-open']);
    expect(await incidents.workOrderOf('INC-1')).toBe('wo-a');
    expect(claims.claims.get('e-open')).toMatchObject({ workOrderId: 'wo-a', incidentId: 'INC-1' });
    expect(dueIndex.entries).toEqual([]);

    const response = await ingest(event('FirstResponse', 'e-resp', '2027-03-05T09:30:00Z'), 'm-2');
    expect(response).toMatchObject({ outcome: 'applied', clock: { state: 'met' }, changes: ['firstResponseMet'] });
    expect(synced[1]).toMatchObject({ clock: { state: 'met' }, started: false });
    expect((await incidents.getIn('wo-a', 'INC-1'))!.record.cursor.count).toBe(2);
    expect(rejected()).toEqual([]);
  });

  it('an eventId that took effect changes nothing again, for whatever incident a re-send names; the clock is synced again', async () => {
    await ingest(opened(), 'm-1');
    const timeline = incidents.timeline.length;
    expect(await ingest(opened(), 'm-1-again')).toEqual({ outcome: 'duplicate' });
    expect(synced).toHaveLength(2);
    expect(synced[1]!.clock).toEqual(synced[0]!.clock);
    // the same eventId opening an incident of another Work Order
    expect(await ingest(opened({ workOrderId: 'wo-b', incidentId: 'INC-9' }), 'm-3')).toEqual({
      outcome: 'duplicate',
    });
    expect(incidents.places.has('wo-b|INC-9')).toBe(false);
    expect(keptIds()).toEqual(['e-open']);
    expect(incidents.timeline).toHaveLength(timeline);
    expect(rejected()).toEqual([]);
  });

  it('RESP-LATE: an event that cannot apply at its place is kept as ignored, with its reason', async () => {
    await ingest(opened(), 'm-1');
    await ingest(event('Closed', 'e-close', '2027-03-05T09:30:00Z'), 'm-2');
    const late = await ingest(event('SeverityChanged', 'e-sev', '2027-03-05T09:45:00Z'), 'm-3');
    expect(late).toMatchObject({
      outcome: 'ignored',
      clock: { status: 'closed' },
      changes: ['ticketEventIgnored'],
      reason: 'The incident was closed at 2027-03-05T09:30:00Z; a SeverityChanged cannot apply.',
    });
    expect(keptIds()).toEqual(['e-open', 'e-close', 'e-sev']);
  });

  it('an applied event that changes nothing says why; one that changes something has no reason', async () => {
    await ingest(opened(), 'm-1');
    const same = await ingest(event('SeverityChanged', 'e-sev', '2027-03-05T09:10:00Z', { severity: 'B' }), 'm-2');
    expect(same).toMatchObject({ outcome: 'applied', reason: 'Severity B was already in force.' });
    const raised = await ingest(event('SeverityChanged', 'e-sev2', '2027-03-05T09:20:00Z'), 'm-3');
    expect(raised).not.toHaveProperty('reason');
  });
});

describe('what ingestion rejects, with its reason, never retried', () => {
  it('a message id that can never be a key is rejected with the id rule, before anything else', async () => {
    expect(await ingest(opened(), 'bad/id')).toEqual({ outcome: 'rejected', reason: 'invalid message id' });
    expect(rejected()).toEqual([
      {
        messageId: 'bad/id',
        receivedAt: T0.toISOString(),
        reason: 'invalid message id',
        errors: [{ path: 'messageId', message: ID_MESSAGE }],
        body: opened(),
      },
    ]);
    expect(claims.claims.size).toBe(0);
    expect(incidents.places.size).toBe(0);
  });

  it('an invalid body is rejected with each issue and its path; it claims nothing, so a corrected re-send applies', async () => {
    const { severity: _severity, ...withoutSeverity } = opened();
    expect(await ingest(withoutSeverity, 'm-1')).toEqual({ outcome: 'rejected', reason: 'invalid message' });
    expect(rejected()[0]!.errors).toEqual([{ path: 'severity', message: 'IncidentOpened requires severity' }]);
    expect(rejected()[0]!.body).toEqual(withoutSeverity);
    expect(claims.claims.size).toBe(0);
    expect(await ingest(opened(), 'm-2')).toMatchObject({ outcome: 'applied' });
  });

  it('RESP-LATE (another Work Order): an event for an incident opened in another Work Order is rejected, changing nothing', async () => {
    await ingest(opened(), 'm-1');
    const before = await incidents.getIn('wo-a', 'INC-1');
    const result = await ingest(
      event('SeverityChanged', 'e-sev', '2027-03-05T09:10:00Z', { workOrderId: 'wo-b' }),
      'm-2',
    );
    const reason = 'Incident INC-1 belongs to another Work Order.';
    expect(result).toEqual({ outcome: 'rejected', reason: `rule RESP-LATE: ${reason}` });
    expect(rejected()).toMatchObject([{ messageId: 'm-2', errors: [{ path: 'workOrderId', message: reason }] }]);
    expect(await incidents.getIn('wo-a', 'INC-1')).toEqual(before);
    expect(incidents.places.has('wo-b|INC-1')).toBe(false);
    expect(claims.claims.has('e-sev')).toBe(false);
    // an opening of the same incident id in the other Work Order too
    expect(await ingest(opened({ eventId: 'e-open-b', workOrderId: 'wo-b' }), 'm-3')).toMatchObject({
      outcome: 'rejected',
      reason: `rule RESP-LATE: ${reason}`,
    });
  });

  it('RESP-LATE (dated ahead): up to 10 minutes after receipt is clock skew; later is rejected', async () => {
    now = new Date('2027-03-05T09:00:00Z');
    expect(await ingest(opened({ occurredAt: '2027-03-05T09:10:00Z' }), 'm-1')).toMatchObject({ outcome: 'applied' });
    const ahead = await ingest(event('FirstResponse', 'e-resp', '2027-03-05T09:10:00.001Z'), 'm-2');
    const reason = 'The event is dated more than 10 minutes after it was received (2027-03-05T09:00:00.000Z).';
    expect(ahead).toEqual({ outcome: 'rejected', reason: `rule RESP-LATE: ${reason}` });
    expect(rejected()[0]!.errors).toEqual([{ path: 'occurredAt', message: reason }]);
    expect(keptIds()).toEqual(['e-open']);
  });

  it('an unknown Work Order is rejected, for an opening and for a first held event alike', async () => {
    expect(await ingest(opened({ workOrderId: 'wo-x' }), 'm-1')).toEqual({
      outcome: 'rejected',
      reason: 'unknown Work Order wo-x',
    });
    expect(await ingest(event('Closed', 'e-close', '2027-03-05T09:30:00Z', { workOrderId: 'wo-x' }), 'm-2')).toEqual({
      outcome: 'rejected',
      reason: 'unknown Work Order wo-x',
    });
    expect(rejected().map((r) => r.errors)).toEqual([
      [{ path: 'workOrderId', message: 'unknown Work Order wo-x' }],
      [{ path: 'workOrderId', message: 'unknown Work Order wo-x' }],
    ]);
    expect(incidents.places.size).toBe(0);
  });

  it('MN-1: an opening at a support location that is not on the Work Order is rejected with the rule and path', async () => {
    expect(await ingest(opened({ location: 'DE' }), 'm-1')).toEqual({
      outcome: 'rejected',
      reason: 'rule MN-1: DE is not a support location on this Work Order.',
    });
    expect(rejected()[0]!.errors).toEqual([
      { path: 'location', message: 'DE is not a support location on this Work Order.' },
    ]);
  });

  it('a failure that is not a rule (storage) throws, so the platform redelivers; nothing is rejected', async () => {
    deps.workOrders = {
      contextFor: async () => {
        throw new Error('storage unavailable');
      },
    };
    await expect(ingest(opened(), 'm-1')).rejects.toThrow('storage unavailable');
    expect(rejected()).toEqual([]);
  });

  it('a refused re-send of an eventId that took effect elsewhere is a duplicate, not a rejection', async () => {
    await ingest(opened(), 'm-1');
    now = new Date('2027-03-05T08:00:00Z');
    // now dated ahead of its receipt and naming another Work Order: it would be refused, but it already applied
    expect(await ingest(opened({ workOrderId: 'wo-b' }), 'm-2')).toEqual({ outcome: 'duplicate' });
    expect(rejected()).toEqual([]);
  });

  it('bounds: no more than 500 events per incident, no more than 50 held before its opening (which still applies)', async () => {
    await ingest(opened(), 'm-1');
    incidents.places.get('wo-a|INC-1')!.record.cursor.count = 500;
    expect(await ingest(event('Closed', 'e-close', '2027-03-05T09:30:00Z'), 'm-2')).toEqual({
      outcome: 'rejected',
      reason: 'Incident INC-1 already keeps 500 events, the most it can.',
    });
    expect(rejected()[0]!.errors).toEqual([]);

    expect(await ingest(event('Closed', 'h-1', '2027-03-05T09:30:00Z', { incidentId: 'INC-2' }), 'm-3')).toEqual({
      outcome: 'held',
    });
    incidents.places.get('wo-a|INC-2')!.record.cursor.count = 49;
    expect(await ingest(event('Reopened', 'h-2', '2027-03-05T09:40:00Z', { incidentId: 'INC-2' }), 'm-4')).toEqual({
      outcome: 'held',
    });
    expect(await ingest(event('Closed', 'h-3', '2027-03-05T09:50:00Z', { incidentId: 'INC-2' }), 'm-5')).toEqual({
      outcome: 'rejected',
      reason: '50 events are already held for incident INC-2, which is not open yet; no more are held.',
    });
    expect(await ingest(opened({ eventId: 'o-2', incidentId: 'INC-2' }), 'm-6')).toMatchObject({
      outcome: 'applied',
    });
  });
});

describe('RESP-LATE: events held until their incident opens', () => {
  it('a first held event schedules the expiry once; the opening applies what was held and starts the clock', async () => {
    const held = (type: string, eventId: string, at: string) => ingest(event(type, eventId, at), eventId);
    expect(await held('SeverityChanged', 'h-1', '2027-03-05T09:10:00Z')).toEqual({ outcome: 'held' });
    const expiry = {
      dueAt: new Date(T0.getTime() + HELD_EVENTS_EXPIRE_AFTER_DAYS * 86_400_000).toISOString(),
      kind: HELD_TICKET_EVENTS,
      resourceId: 'INC-1',
      workOrderId: 'wo-a',
    };
    expect(dueIndex.entries).toMatchObject([expiry]);
    expect(dueIndex.entries[0]!.dueAt).toBe('2027-03-12T10:00:00.000Z');
    expect(synced).toEqual([]);
    expect(await incidents.workOrderOf('INC-1')).toBeUndefined();
    expect(contextReads).toBe(1);

    now = new Date(T0.getTime() + 3_600_000);
    expect(await held('FirstResponse', 'h-2', '2027-03-05T09:20:00Z')).toEqual({ outcome: 'held' });
    expect(dueIndex.entries).toMatchObject([expiry]);
    // coverage and calendar are read for an opening only
    expect(contextReads).toBe(1);

    const open = await ingest(opened(), 'm-open');
    expect(open).toMatchObject({
      outcome: 'applied',
      // raised to A before the response: 60 minutes 24x7 from 10:00, met at 10:20
      clock: { status: 'open', state: 'met', dueAt: '2027-03-05T11:00:00+01:00' },
    });
    expect(synced).toMatchObject([{ started: true }]);
    expect(await incidents.workOrderOf('INC-1')).toBe('wo-a');
  });

  it('RESP-LATE: what is held for an incident never opened is rejected with its messages, once, and its place given up', async () => {
    await ingest(event('SeverityChanged', 'h-1', '2027-03-05T09:10:00Z'), 'm-1');
    await ingest(event('Closed', 'h-2', '2027-03-05T09:20:00Z'), 'm-2');
    const due = { workOrderId: 'wo-a', resourceId: 'INC-1', dueAt: '2027-03-12T10:00:00.000Z' };
    expect(await rejectHeldEvents(due, deps)).toBe(2);
    const reason = 'rule RESP-LATE: incident INC-1 was not opened within 7 days, so this event cannot apply.';
    expect(rejected().sort((a, b) => a.messageId.localeCompare(b.messageId))).toEqual([
      {
        messageId: 'm-1',
        receivedAt: due.dueAt,
        reason,
        errors: [],
        body: expect.objectContaining({ eventId: 'h-1' }),
      },
      {
        messageId: 'm-2',
        receivedAt: due.dueAt,
        reason,
        errors: [],
        body: expect.objectContaining({ eventId: 'h-2' }),
      },
    ]);
    expect(incidents.places.has('wo-a|INC-1')).toBe(false);
    expect(keptIds()).toEqual([]);
    expect(incidents.timeline.at(-1)).toMatchObject({ kind: 'heldTicketEventsRejected', rule: 'RESP-LATE' });
    expect(await rejectHeldEvents(due, deps)).toBe(0);
    expect(rejected()).toHaveLength(2);
  });

  it('RESP-LATE: an incident opened before the expiry is left alone; one opened while it runs takes its rejections back', async () => {
    await ingest(event('Closed', 'h-1', '2027-03-05T09:20:00Z'), 'm-1');
    await ingest(opened(), 'm-open');
    const due = { workOrderId: 'wo-a', resourceId: 'INC-1', dueAt: '2027-03-12T10:00:00.000Z' };
    expect(await rejectHeldEvents(due, deps)).toBe(0);
    expect(rejected()).toEqual([]);

    await ingest(event('Closed', 'h-2', '2027-03-05T09:20:00Z', { incidentId: 'INC-2' }), 'm-2');
    incidents.beforeRelease = async () => {
      incidents.beforeRelease = undefined;
      await ingest(opened({ eventId: 'o-2', incidentId: 'INC-2' }), 'm-open-2');
    };
    expect(await rejectHeldEvents({ ...due, resourceId: 'INC-2' }, deps)).toBe(0);
    expect(rejected()).toEqual([]);
    expect(keptIds('wo-a', 'INC-2').sort()).toEqual(['h-2', 'o-2']);
  });

  it('RESP-LATE: a place that keeps changing under the expiry is read again (the one conflict policy), then left to the next sweep', async () => {
    await ingest(event('Closed', 'h-1', '2027-03-05T09:20:00Z'), 'm-1');
    let releases = 0;
    incidents.beforeRelease = () => {
      releases++;
      incidents.places.get('wo-a|INC-1')!.etag = `moved-${releases}`;
    };
    const due = { workOrderId: 'wo-a', resourceId: 'INC-1', dueAt: '2027-03-12T10:00:00.000Z' };
    await expect(rejectHeldEvents(due, deps)).rejects.toBeInstanceOf(ConcurrencyConflict);
    expect(releases).toBe(CONFLICT_ATTEMPTS);
    // recorded before giving up the place, so the next sweep repeats them (keyed: still one each)
    expect(rejected()).toHaveLength(1);

    releases = 0;
    incidents.beforeRelease = () => {
      if (++releases < 5) incidents.places.get('wo-a|INC-1')!.etag = `moved-${releases}`;
    };
    expect(await rejectHeldEvents(due, deps)).toBe(1);
    expect(releases).toBe(5);
  });
});

describe('one eventId, one effect: the product-wide claim', () => {
  it('a claim whose holder kept nothing is waited for while it may be in flight, then taken over', async () => {
    claims.claims.set('e-open', {
      workOrderId: 'wo-b',
      incidentId: 'INC-9',
      claimedAt: '2027-03-05T09:55:00.001Z',
      etag: 'held',
    });
    await expect(ingest(opened(), 'm-1')).rejects.toBeInstanceOf(ConcurrencyConflict);
    expect(incidents.places.size).toBe(0);
    expect(rejected()).toEqual([]);

    claims.claims.get('e-open')!.claimedAt = new Date(T0.getTime() - CLAIM_TAKEOVER_MINUTES * 60_000).toISOString();
    expect(await ingest(opened(), 'm-1')).toMatchObject({ outcome: 'applied' });
    expect(claims.claims.get('e-open')).toMatchObject({ workOrderId: 'wo-a', incidentId: 'INC-1' });
  });

  it('a claim already naming this incident is this message again: it applies', async () => {
    claims.claims.set('e-open', { workOrderId: 'wo-a', incidentId: 'INC-1', claimedAt: T0.toISOString(), etag: 'x' });
    expect(await ingest(opened(), 'm-1')).toMatchObject({ outcome: 'applied' });
    expect(keptIds()).toEqual(['e-open']);
  });

  it('a takeover that loses its race tries again on fresh data; a claim that keeps moving leaves the message to redelivery', async () => {
    const stale = { workOrderId: 'wo-b', incidentId: 'INC-9', claimedAt: '2027-03-05T09:00:00Z' };
    claims.claims.set('e-open', { ...stale, etag: 'held' });
    let races = 0;
    claims.beforeTakeOver = (eventId) => {
      if (++races === 1) claims.claims.set(eventId, { ...stale, etag: 'moved' });
    };
    expect(await ingest(opened(), 'm-1')).toMatchObject({ outcome: 'applied' });
    expect(races).toBe(2);

    claims.claims.set('e-other', { ...stale, etag: 'held' });
    races = 0;
    claims.beforeTakeOver = (eventId) => claims.claims.set(eventId, { ...stale, etag: `moved-${++races}` });
    await expect(ingest(opened({ eventId: 'e-other', incidentId: 'INC-3' }), 'm-2')).rejects.toBeInstanceOf(
      ConcurrencyConflict,
    );
    expect(races).toBe(CONFLICT_ATTEMPTS);
    expect(incidents.places.has('wo-a|INC-3')).toBe(false);
  });

  it('a claim held by another incident that kept the event makes this a duplicate', async () => {
    await ingest(opened({ workOrderId: 'wo-b', incidentId: 'INC-9' }), 'm-1');
    expect(await ingest(opened(), 'm-2')).toEqual({ outcome: 'duplicate' });
    expect(incidents.places.has('wo-a|INC-1')).toBe(false);
  });
});

describe('keeping an event under the incident ETag', () => {
  it('an incident changed meanwhile is read again and the event applied at its place on the new state', async () => {
    await ingest(opened(), 'm-1');
    let keeps = 0;
    incidents.beforeKeep = async () => {
      if (++keeps > 1) return;
      // another message keeps a severity raise first
      const hook = incidents.beforeKeep;
      incidents.beforeKeep = undefined;
      await ingest(event('SeverityChanged', 'e-sev', '2027-03-05T09:10:00Z'), 'm-other');
      incidents.beforeKeep = hook;
    };
    const response = await ingest(event('FirstResponse', 'e-resp', '2027-03-05T09:50:00Z'), 'm-2');
    // judged against the raised target (A: 60 min from 10:00, due 11:00 local): met at 10:50
    expect(response).toMatchObject({ outcome: 'applied', clock: { state: 'met', dueAt: '2027-03-05T11:00:00+01:00' } });
    expect(keeps).toBe(2);
    expect(keptIds()).toEqual(['e-open', 'e-sev', 'e-resp']);
  });

  it('a redelivery that kept the same event meanwhile is a duplicate; a store that keeps changing throws after the last try', async () => {
    await ingest(opened(), 'm-1');
    const resp = event('FirstResponse', 'e-resp', '2027-03-05T09:50:00Z');
    incidents.beforeKeep = async () => {
      incidents.beforeKeep = undefined;
      await ingest(resp, 'm-2-redelivered');
    };
    expect(await ingest(resp, 'm-2')).toEqual({ outcome: 'duplicate' });
    expect(keptIds()).toEqual(['e-open', 'e-resp']);

    let keeps = 0;
    incidents.beforeKeep = () => {
      incidents.places.get('wo-a|INC-1')!.etag = `moved-${++keeps}`;
    };
    await expect(ingest(event('Closed', 'e-close', '2027-03-05T09:55:00Z'), 'm-3')).rejects.toBeInstanceOf(
      ConcurrencyConflict,
    );
    expect(keeps).toBe(CONFLICT_ATTEMPTS);
    expect(keptIds()).toEqual(['e-open', 'e-resp']);
  });

  it('an earlier event arriving after later ones is folded in from the kept events (RESP-LATE)', async () => {
    now = new Date('2027-03-05T12:00:00Z');
    await ingest(opened(), 'm-1');
    await ingest(event('FirstResponse', 'e-resp', '2027-03-05T10:30:00Z'), 'm-2');
    // a raise to A at 09:10 makes the 10:30 response (due 10:00 local + 60 = 11:00 local = 10:00Z) late
    const raise = await ingest(event('SeverityChanged', 'e-sev', '2027-03-05T09:10:00Z'), 'm-3');
    expect(raise).toMatchObject({ outcome: 'applied', clock: { state: 'breached' } });
    expect(raise.outcome === 'applied' && raise.changes).toContain('incidentRecomputed');
  });
});

describe("an incident's context from its Work Order (WorkOrderIncidentContext)", () => {
  const view = acceptWorkOrder(
    workOrderBody({
      downstream: [{ country: 'DE', timeZone: 'Europe/Berlin' }],
      entitlements: [{ serviceCode: 'UER' }, { serviceCode: 'AEM', quantity: 3 }, { serviceCode: 'REDE', hours: 50 }],
    }),
    { id: 'wo-c', asOf: '2026-12-15' },
  );
  const booking = (id: string, phase: string, from: string, to: string) => ({
    kind: 'aem' as const,
    id,
    workOrderId: 'wo-c',
    data: { phase, phases: { live: { from, to } } },
  });
  let resourceReads: number;
  let source: WorkOrderIncidentContext;
  beforeEach(() => {
    workOrders.workOrders.set('wo-c', view);
    workOrders.bookings.push(
      booking('aem-1', 'live', '2028-12-30T23:00:00Z', '2029-01-02T23:00:00Z'),
      booking('aem-2', 'cancelled', '2028-06-01T00:00:00Z', '2028-06-02T00:00:00Z'),
      booking('aem-3', 'planned', '2028-07-01T00:00:00Z', '2028-07-02T00:00:00Z'),
    );
    resourceReads = 0;
    const resources = workOrders.resources.bind(workOrders);
    source = new WorkOrderIncidentContext({
      get: (id) => workOrders.get(id),
      resources: (id, kind) => {
        resourceReads++;
        return resources(id, kind);
      },
    });
  });

  it('AEM-6, REDE-1: the plans held on the local day of the event; live AEM windows of bookings not cancelled', async () => {
    // 23:30 on 31 December in Amsterdam: the last day of the term, every entitlement still held
    const lastDay = await source.contextFor('wo-c', 'NL', '2028-12-31T22:30:00Z');
    expect(lastDay?.coverage).toEqual({
      plans: ['BASE', 'UER', 'AEM'],
      aemWindows: [
        { from: '2028-12-30T23:00:00Z', to: '2029-01-02T23:00:00Z' },
        { from: '2028-07-01T00:00:00Z', to: '2028-07-02T00:00:00Z' },
      ],
    });
    expect(lastDay?.designatedEngineer).toBe(true);
    expect(resourceReads).toBe(1);
    // 00:30 on 1 January in Amsterdam (still 31 December in UTC): the term has ended, only Base remains
    const after = await source.contextFor('wo-c', 'NL', '2028-12-31T23:30:00Z');
    expect(after?.coverage).toEqual({ plans: ['BASE'], aemWindows: [] });
    expect(after?.designatedEngineer).toBe(false);
    // AEM windows matter only under an AEM plan: not read without one
    expect(resourceReads).toBe(1);
  });

  it("HOURS-1, MN-1: the calendar of the incident's support location, the Host's when none is named; another location is refused", async () => {
    const de = await source.contextFor('wo-c', 'DE', '2027-03-05T09:00:00Z');
    expect([de?.calendar.country, de?.calendar.timeZone]).toEqual(['DE', 'Europe/Berlin']);
    const host = await source.contextFor('wo-c', undefined, '2027-03-05T09:00:00Z');
    expect([host?.calendar.country, host?.calendar.timeZone]).toEqual(['NL', 'Europe/Amsterdam']);
    await expect(source.contextFor('wo-c', 'FR', '2027-03-05T09:00:00Z')).rejects.toMatchObject({
      rule: 'MN-1',
      path: 'location',
    });
  });

  it('REDE-1: a Work Order without Reactive EDE has no designated engineer, whatever else it holds', async () => {
    workOrders.workOrders.set(
      'wo-d',
      acceptWorkOrder(workOrderBody({ entitlements: [{ serviceCode: 'UER' }] }), { id: 'wo-d', asOf: '2026-12-15' }),
    );
    const context = await source.contextFor('wo-d', 'NL', '2027-03-05T09:00:00Z');
    expect(context?.coverage.plans).toEqual(['BASE', 'UER']);
    expect(context?.designatedEngineer).toBe(false);
  });

  it('an unknown Work Order has no context and no customer; a known one names its customer', async () => {
    expect(await source.contextFor('wo-x', 'NL', '2027-03-05T09:00:00Z')).toBeUndefined();
    expect(await source.customerOf('wo-x')).toBeUndefined();
    expect(await source.customerOf('wo-c')).toBe('contoso');
  });
});
