// Edges of an incident event's arrival (RESP-LATE, RESP-SEVCHG, RESP-RR) that the mutation run of domain/incidents
// found unproven: which opening's context applies, which step the arrival reports, the edition's targets on a
// recomputation, a breach of another plan's target, and the timeline's 40-entry bound.
import { describe, expect, it } from 'vitest';
import { RESPONSE_TARGETS, withConfiguredSevATargets } from '../../domain/catalogue/responseTargets';
import { DEFAULT_CATALOGUE, type CatalogueEdition } from '../../domain/catalogue/serviceCatalogue';
import {
  MAX_TIMELINE_ENTRIES_PER_ARRIVAL,
  arrivalNeeds,
  arrive,
  type IncidentRecord,
} from '../../domain/incidents/arrival';
import { recordDueTimer, type IncidentContext } from '../../domain/incidents/incident';
import type { KeptEvent } from '../../domain/incidents/incidentFold';
import { ConcurrencyConflict } from '../../domain/incidents/incidentStore';
import { ticketEventSchema, type TicketEvent } from '../../domain/incidents/ticketEvent';
import { baseContext as base, nlCalendar as calendar, uerContext as uer } from '../support/incidentFixtures';

const rr: IncidentContext = { coverage: { plans: ['BASE', 'RAPID_RESPONSE'] }, calendar };

let n = 0;
const event = (type: TicketEvent['type'], occurredAt: string, extra: Partial<TicketEvent> = {}): TicketEvent =>
  ticketEventSchema.parse({
    eventId: `a${String(++n).padStart(4, '0')}`,
    incidentId: 'INC-1',
    workOrderId: 'wo-1',
    type,
    occurredAt,
    ...(type === 'IncidentOpened'
      ? { product: { family: 'Azure', service: 'Azure SQL Database' }, channel: 'azurePortal', location: 'NL' }
      : {}),
    ...extra,
  });
const opened = (severity: TicketEvent['severity'], occurredAt: string) =>
  event('IncidentOpened', occurredAt, { severity });
const kept = (e: TicketEvent, receivedAt = '2027-03-05T12:00:00Z'): KeptEvent => ({
  event: e,
  receivedAt,
  messageId: `m-${e.eventId}`,
});

function arriveAll(events: TicketEvent[], context: IncidentContext = base, catalogue?: CatalogueEdition) {
  let record: IncidentRecord | undefined;
  const keptSoFar: KeptEvent[] = [];
  let last: ReturnType<typeof arrive> | undefined;
  for (const e of events) {
    const needs = arrivalNeeds(record, e);
    last = arrive({
      record,
      arriving: kept(e),
      kept: needs.history ? keptSoFar : undefined,
      openerContext: needs.context ? context : undefined,
      catalogue,
    });
    record = last.record;
    keptSoFar.push(kept(e));
  }
  return { record: record!, kept: keptSoFar, last: last! };
}

/** The edition with Rapid Response's Sev A target configured (RESP-RR: 30 is a configurable default). */
const rrSevA = (minutes: number): CatalogueEdition => ({
  ...DEFAULT_CATALOGUE,
  responseTargets: withConfiguredSevATargets(RESPONSE_TARGETS, { RAPID_RESPONSE: minutes }),
});

describe('RESP-LATE: where an arrival takes its context from', () => {
  it('RESP-LATE: an earlier opening arriving late applies with its own context, not the stored one of the later opening', () => {
    const { record, kept: keptSoFar } = arriveAll([opened('A', '2027-03-05T10:00:00+01:00')], base);
    expect(record.incident!.coverage).toEqual(['BASE']);
    const earlier = opened('A', '2027-03-05T09:50:00+01:00');
    const late = arrive({ record, arriving: kept(earlier), kept: keptSoFar, openerContext: uer });
    expect(late.record.incident).toMatchObject({ openedBy: earlier.eventId, coverage: ['BASE', 'UER'] });
    // UER's Sev A target is 30 minutes from the earlier opening
    expect(late.record.incident!.firstResponse).toMatchObject({ plan: 'UER', dueAt: '2027-03-05T10:20:00+01:00' });
  });

  it('RESP-LATE: the step an out-of-order arrival reports is its own, not the first event of the fold', () => {
    const open = opened('B', '2027-03-05T10:00:00+01:00');
    const response = event('FirstResponse', '2027-03-05T10:30:00+01:00', { automated: false });
    const { last } = arriveAll([open, event('Closed', '2027-03-05T11:00:00+01:00'), response]);
    expect(last.step).toMatchObject({ eventId: response.eventId, type: 'FirstResponse', effect: 'applied' });
  });

  it('RESP-LATE: a met target stays met when a later event applies in order', () => {
    const { last } = arriveAll([
      opened('A', '2027-03-05T10:00:00+01:00'),
      event('FirstResponse', '2027-03-05T10:20:00+01:00', { automated: false }),
      event('Closed', '2027-03-05T12:00:00+01:00'),
    ]);
    expect(last.record.incident!.firstResponse).toMatchObject({
      state: 'met',
      respondedAt: '2027-03-05T10:20:00+01:00',
    });
  });
});

describe("RESP-SEVCHG, RESP-RR: a recomputation uses the Work Order's edition", () => {
  it('RESP-SEVCHG, RESP-RR: a raise to A is recomputed with the configured Rapid Response Sev A target', () => {
    const events = [
      opened('B', '2027-03-05T10:00:00+01:00'),
      event('SeverityChanged', '2027-03-05T10:05:00+01:00', { severity: 'A' }),
    ];
    const configured = arriveAll(events, rr, rrSevA(20)).record.incident!.firstResponse;
    expect(configured).toMatchObject({ plan: 'RAPID_RESPONSE', targetMinutes: 20 });
    expect(arriveAll(events, rr).record.incident!.firstResponse).toMatchObject({ targetMinutes: 30 });
  });

  it('RESP-SEVCHG: an incident stored without an explanation is recomputed, its explanation starting a history', () => {
    const { record } = arriveAll([opened('B', '2027-03-05T10:00:00+01:00')]);
    const { explanation: _gone, ...bare } = record.incident!.firstResponse;
    const stored = { ...record, incident: { ...record.incident!, firstResponse: bare } };
    const raised = arrive({
      record: stored,
      arriving: kept(event('SeverityChanged', '2027-03-05T10:05:00+01:00', { severity: 'A' })),
    });
    expect(raised.record.incident!.firstResponse).toMatchObject({ targetMinutes: 60, state: 'pending' });
    expect(raised.record.incident!.firstResponse.explanation?.history).toHaveLength(1);
  });
});

describe('RESP-LATE: the breach the timer recorded', () => {
  it("RESP-LATE: the breach stands only while its target does: the same due time under another plan's target is pending", () => {
    const catalogue = rrSevA(15);
    const { record } = arriveAll([opened('1', '2027-03-05T10:00:00+01:00')], rr, catalogue);
    // Sev 1: Base and Rapid Response both 15 minutes; Base is listed first (RESP-PICK)
    expect(record.incident!.firstResponse).toMatchObject({ plan: 'BASE', dueAt: '2027-03-05T10:15:00+01:00' });
    const breached = recordDueTimer(record.incident!, '2027-03-05T10:15:00+01:00', new Date('2027-03-05T09:15:00Z'));
    const stored = { ...record, incident: breached.incident };
    const toA = event('SeverityChanged', '2027-03-05T10:20:00+01:00', { severity: 'A' });
    const after = arrive({ record: stored, arriving: kept(toA), catalogue }).record.incident!.firstResponse;
    // Sev A: Rapid Response 15 (configured) beats Base 60: same due time, another target
    expect(after).toMatchObject({ plan: 'RAPID_RESPONSE', dueAt: '2027-03-05T10:15:00+01:00', state: 'pending' });
  });
});

describe('RESP-LATE: the timeline of one arrival', () => {
  it('RESP-LATE: exactly 40 entries are all kept, none summed up', () => {
    // 38 held severity changes and the opening that arrives last: 40 entries
    const heldEvents = Array.from({ length: 38 }, (_, i) =>
      event('SeverityChanged', new Date(Date.parse('2027-03-05T10:00:00Z') + (i + 1) * 60_000).toISOString(), {
        severity: i % 2 ? 'B' : 'C',
      }),
    );
    const { last } = arriveAll([...heldEvents, opened('B', '2027-03-05T10:00:00Z')]);
    expect(last.timeline).toHaveLength(MAX_TIMELINE_ENTRIES_PER_ARRIVAL);
    expect(last.timeline.at(-1)).toMatchObject({ kind: 'severityChanged', rule: 'RESP-SEVCHG' });
    expect(last.timeline.filter((t) => t.kind === 'incidentRecomputed')).toHaveLength(1);
  });
});

describe('stores and schemas', () => {
  it('RESP-LATE: a lost ETag race on an incident is a ConcurrencyConflict by name', () => {
    expect(new ConcurrencyConflict('stale').name).toBe('ConcurrencyConflict');
  });

  it('RESP-LATE: a ticket event missing a field of its type is a custom issue naming the field', () => {
    const result = ticketEventSchema.safeParse({
      eventId: 'x',
      occurredAt: '2027-03-05T16:50:00+01:00',
      incidentId: 'I',
      workOrderId: 'w',
      type: 'SeverityChanged',
    });
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ code: 'custom', path: ['severity'], message: 'SeverityChanged requires severity' }),
    ]);
  });
});
