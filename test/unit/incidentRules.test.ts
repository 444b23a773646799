// Edges of the incident rules (RESP-LATE, RESP-SEVCHG, INC-3, INC-4, UER-1, UER-2, RSM-1, REDE-1, RESP-*) that a rule
// citation alone did not prove: each expectation here fails if the rule's condition is weakened, flipped or removed.
import { describe, expect, it } from 'vitest';
import {
  MAX_TIMELINE_ENTRIES_PER_ARRIVAL,
  arrivalNeeds,
  arrive,
  refuseArrival,
  stepsOf,
  type IncidentRecord,
} from '../../domain/incidents/arrival';
import {
  clockOf,
  incidentView,
  recordDueTimer,
  type Incident,
  type IncidentContext,
} from '../../domain/incidents/incident';
import {
  contextFromSnapshot,
  foldIncident,
  snapshotContext,
  type KeptEvent,
} from '../../domain/incidents/incidentFold';
import { ticketEventSchema, type TicketEvent } from '../../domain/incidents/ticketEvent';
import { baseContext as base, nlCalendar as calendar, uerContext as uer } from '../support/incidentFixtures';

const rede: IncidentContext = { coverage: { plans: ['BASE'] }, calendar, designatedEngineer: true };

let n = 0;
const event = (type: TicketEvent['type'], occurredAt: string, extra: Partial<TicketEvent> = {}): TicketEvent =>
  ticketEventSchema.parse({
    eventId: `r${String(++n).padStart(4, '0')}`,
    incidentId: 'INC-1',
    workOrderId: 'wo-1',
    type,
    occurredAt,
    ...(type === 'IncidentOpened'
      ? { product: { family: 'Azure', service: 'Azure SQL Database' }, channel: 'phone', location: 'NL' }
      : {}),
    ...extra,
  });
const opened = (severity: TicketEvent['severity'], occurredAt: string, extra: Partial<TicketEvent> = {}) =>
  event('IncidentOpened', occurredAt, { severity, ...extra });
const kept = (e: TicketEvent, receivedAt = '2027-03-05T12:00:00Z'): KeptEvent => ({
  event: e,
  receivedAt,
  messageId: `m-${e.eventId}`,
});
const fold = (events: TicketEvent[], context: IncidentContext = base) =>
  foldIncident(
    events.map((e) => kept(e)),
    () => context,
  );

/** Events arriving one by one in the given order, as ingestion applies them; the last arrival is returned too. */
function arriveAll(events: TicketEvent[], context: IncidentContext = base, receivedAt?: string) {
  let record: IncidentRecord | undefined;
  const keptSoFar: KeptEvent[] = [];
  let last: ReturnType<typeof arrive> | undefined;
  for (const e of events) {
    const needs = arrivalNeeds(record, e);
    last = arrive({
      record,
      arriving: kept(e, receivedAt),
      kept: needs.history ? keptSoFar : undefined,
      openerContext: needs.context ? context : undefined,
    });
    record = last.record;
    keptSoFar.push(kept(e, receivedAt));
  }
  return { record: record!, kept: keptSoFar, last: last! };
}

describe('the due timer (RESP-LATE: only a pending target whose due time stands is breached)', () => {
  const open = (plans: IncidentContext['coverage']['plans'], extra: Partial<TicketEvent> = {}) => {
    const { incident } = fold([opened('1', '2027-03-05T10:00:00+01:00', extra)], {
      coverage: { plans, aemWindows: [{ from: '2027-03-01T00:00:00Z', to: '2027-03-31T00:00:00Z' }] },
      calendar,
    });
    return { ...incident!, rca: null } as Incident;
  };

  it('RESP-BASE, RESP-UER, RESP-RR, RESP-AEM: the breach names the rule of the plan whose target was missed', () => {
    const other = { product: { family: 'Microsoft 365', service: 'Exchange Online' } };
    const cases: Array<[Incident, string, string]> = [
      [open(['BASE']), 'BASE', 'RESP-BASE'],
      [open(['BASE', 'UER'], other), 'UER', 'RESP-UER'],
      [open(['BASE', 'AEM'], { ...other, channel: 'azurePortal', description: 'AEM go-live' }), 'AEM', 'RESP-AEM'],
      // Rapid Response alone (RR-1: through the portal) for an Azure component
      [open(['RAPID_RESPONSE'], { channel: 'azurePortal' }), 'RAPID_RESPONSE', 'RESP-RR'],
    ];
    for (const [incident, plan, rule] of cases) {
      expect(incident.firstResponse.plan).toBe(plan);
      const due = recordDueTimer(incident, incident.firstResponse.dueAt, new Date('2027-03-06T00:00:00Z'));
      expect(due.changes.map((c) => [c.kind, c.rule])).toEqual([['firstResponseBreached', rule]]);
      expect(due.incident.firstResponse.state).toBe('breached');
    }
  });

  it('RESP-LATE: a met target is not breached by its due timer, a response that was late stays late', () => {
    for (const respondedAt of ['2027-03-05T10:05:00+01:00', '2027-03-05T10:30:00+01:00']) {
      const { incident } = fold([
        opened('1', '2027-03-05T10:00:00+01:00'),
        event('FirstResponse', respondedAt, { automated: false }),
      ]);
      const answered = { ...incident!, rca: null };
      const due = recordDueTimer(answered, answered.firstResponse.dueAt, new Date('2027-03-06T00:00:00Z'));
      expect(due).toEqual({ incident: answered, changes: [] });
    }
  });

  it('RESP-LATE: the timer breaches at the due instant, not a millisecond before', () => {
    const incident = open(['BASE']);
    const dueMs = Date.parse(incident.firstResponse.dueAt);
    expect(recordDueTimer(incident, incident.firstResponse.dueAt, new Date(dueMs - 1)).changes).toEqual([]);
    expect(recordDueTimer(incident, incident.firstResponse.dueAt, new Date(dueMs)).changes).toHaveLength(1);
  });
});

describe('RESP-LATE: what an arrival writes on the timeline', () => {
  it('RESP-LATE: an on-time response to a target never breached is met, not a corrected breach', () => {
    const { last } = arriveAll([
      opened('A', '2027-03-05T10:00:00+01:00'),
      event('FirstResponse', '2027-03-05T10:30:00+01:00', { automated: false }),
    ]);
    expect(last.timeline.map((t) => t.kind)).toEqual(['firstResponseMet']);
  });

  it('RESP-LATE: a breach the timer recorded is corrected when a later due time still lies ahead; not when it has passed', () => {
    // Severity A (60 min 24x7, due 11:00); the timer records the breach at 11:00.
    const { record } = arriveAll([opened('A', '2027-03-05T10:00:00+01:00')]);
    const breached = recordDueTimer(
      { ...record.incident! },
      record.incident!.firstResponse.dueAt,
      new Date('2027-03-05T10:00:00Z'),
    ).incident;
    const stored = { ...record, incident: breached };
    // lowered to B at 10:30 (the open time counts: 120 business minutes, due 12:00)
    const lower = event('SeverityChanged', '2027-03-05T10:30:00+01:00', { severity: 'B' });
    const ahead = arrive({ record: stored, arriving: kept(lower, '2027-03-05T10:45:00Z') });
    expect(ahead.record.incident!.firstResponse).toMatchObject({
      state: 'pending',
      dueAt: '2027-03-05T12:00:00+01:00',
    });
    expect(ahead.timeline.map((t) => [t.kind, t.rule])).toContainEqual(['breachCorrected', 'RESP-LATE']);
    // received at 12:00 exactly, the new due time has passed as well: no correction
    const passed = arrive({ record: stored, arriving: kept(lower, '2027-03-05T11:00:00Z') });
    expect(passed.timeline.map((t) => t.kind)).not.toContain('breachCorrected');
    // the breach stands while the target it breached stands: an unchanged severity keeps it
    const same = arrive({
      record: stored,
      arriving: kept(event('SeverityChanged', '2027-03-05T10:30:00+01:00', { severity: 'A' })),
    });
    expect(same.record.incident!.firstResponse.state).toBe('breached');
    expect(same.timeline.map((t) => t.kind)).toEqual(['ticketEventChangedNothing']);
    expect(same.timeline[0]!.rule).toBe('RESP-SEVCHG');
  });

  it('RESP-LATE: a response after the due time, received a few minutes before it occurred (clock skew), corrects nothing', () => {
    const { record } = arriveAll([opened('A', '2027-03-05T10:00:00+01:00')]);
    const breached = recordDueTimer(
      record.incident!,
      record.incident!.firstResponse.dueAt,
      new Date('2027-03-05T10:00:00Z'),
    );
    // due 11:00 local (10:00Z); the response occurred 10:05Z and was received at 09:58Z
    const late = arrive({
      record: { ...record, incident: breached.incident },
      arriving: kept(event('FirstResponse', '2027-03-05T10:05:00Z', { automated: false }), '2027-03-05T09:58:00Z'),
    });
    expect(late.record.incident!.firstResponse.state).toBe('breached');
    expect(late.timeline.map((t) => t.kind)).toEqual(['firstResponseLate']);
  });

  it('RESP-LATE: a response that was late stays late when a later event applies in order', () => {
    const { incident } = fold([
      opened('A', '2027-03-05T10:00:00+01:00'),
      event('FirstResponse', '2027-03-05T11:30:00+01:00', { automated: false }),
    ]);
    const { record } = arriveAll([opened('A', '2027-03-05T10:00:00+01:00')]);
    const stored = { ...record, incident: { ...incident!, rca: null, openedBy: record.incident!.openedBy } };
    const closed = arrive({ record: stored, arriving: kept(event('Closed', '2027-03-05T12:00:00+01:00')) });
    expect(closed.record.incident!.firstResponse).toMatchObject({
      state: 'breached',
      respondedAt: '2027-03-05T11:30:00+01:00',
    });
  });

  it('RESP-LATE: a late response corrects nothing; the breach is kept', () => {
    const { record } = arriveAll([opened('A', '2027-03-05T10:00:00+01:00')]);
    const breached = recordDueTimer(
      record.incident!,
      record.incident!.firstResponse.dueAt,
      new Date('2027-03-06T00:00:00Z'),
    );
    const late = arrive({
      record: { ...record, incident: breached.incident },
      arriving: kept(event('FirstResponse', '2027-03-05T11:30:00+01:00', { automated: false })),
    });
    expect(late.record.incident!.firstResponse).toMatchObject({
      state: 'breached',
      respondedAt: '2027-03-05T11:30:00+01:00',
    });
    expect(late.timeline.map((t) => t.kind)).toEqual(['firstResponseLate']);
  });

  it('RESP-LATE: an event folded in before later ones lists each re-evaluated event; held events say so', () => {
    const open = opened('B', '2027-03-05T10:00:00+01:00');
    const response = event('FirstResponse', '2027-03-05T11:00:00+01:00', { automated: false });
    const close = event('Closed', '2027-03-05T13:00:00+01:00');
    const { last: held } = arriveAll([close]);
    expect(held.timeline.map((t) => [t.kind, t.rule])).toEqual([['ticketEventHeld', 'RESP-LATE']]);
    expect(held.started).toBe(false);
    // a raise to 1 at 10:30 arrives last: 15 minutes from the open (due 10:15), so the 11:00 response becomes late
    const raise = event('SeverityChanged', '2027-03-05T10:30:00+01:00', { severity: '1' });
    const { last } = arriveAll([open, response, close, raise]);
    const kinds = last.timeline.map((t) => t.kind);
    expect(last.timeline[0]).toMatchObject({ kind: 'incidentRecomputed', rule: 'RESP-LATE' });
    expect(kinds).toContain('severityChanged');
    expect(kinds).toContain('firstResponseLate');
    // the closing is unchanged by it and is not listed again
    expect(kinds).not.toContain('incidentClosed');
    expect(last.record.cursor.last).toEqual({ occurredAt: close.occurredAt, eventId: close.eventId });
    expect(last.record.cursor.count).toBe(4);
  });

  it('RESP-LATE, INC-3: an earlier response arriving last re-lists every later response whose outcome or reason it changed', () => {
    const open = opened('A', '2027-03-05T10:00:00+01:00');
    const r1 = event('FirstResponse', '2027-03-05T10:30:00+01:00', { automated: false });
    const r2 = event('FirstResponse', '2027-03-05T10:40:00+01:00', { automated: false });
    const r0 = event('FirstResponse', '2027-03-05T10:10:00+01:00', { automated: false });
    const { last, record } = arriveAll([open, r1, r2, r0]);
    // r1 no longer stops the clock; r2 still changes nothing, but now because of r0 (its reason changed)
    expect(last.timeline.map((t) => t.kind)).toEqual([
      'incidentRecomputed',
      'firstResponseMet',
      'ticketEventChangedNothing',
      'ticketEventChangedNothing',
    ]);
    expect(last.timeline.slice(2).map((t) => t.rule)).toEqual(['INC-3', 'INC-3']);
    expect(record.incident!.firstResponse.respondedAt).toBe(r0.occurredAt);
    // an earlier event that changes nothing later lists only itself
    const { last: quiet } = arriveAll([
      open,
      r1,
      event('FirstResponse', '2027-03-05T10:20:00+01:00', { automated: true }),
    ]);
    expect(quiet.timeline.map((t) => t.kind)).toEqual(['ticketEventChangedNothing']);
  });

  it('RESP-LATE: one arrival writes at most 40 timeline entries, the rest summed up in the last', () => {
    const heldEvents = Array.from({ length: 45 }, (_, i) =>
      event('SeverityChanged', new Date(Date.parse('2027-03-05T10:00:00Z') + (i + 1) * 60_000).toISOString(), {
        severity: i % 2 ? 'B' : 'C',
      }),
    );
    const { last } = arriveAll([...heldEvents, opened('B', '2027-03-05T10:00:00Z')]);
    expect(last.timeline).toHaveLength(MAX_TIMELINE_ENTRIES_PER_ARRIVAL);
    expect(last.timeline.at(-1)).toMatchObject({ kind: 'incidentRecomputed', rule: 'RESP-LATE' });
    expect(last.timeline.at(-2)!.kind).not.toBe('incidentRecomputed');
    const { last: few } = arriveAll([...heldEvents.slice(0, 5), opened('B', '2027-03-05T10:00:00Z')]);
    expect(few.timeline.map((t) => t.kind).filter((k) => k === 'incidentRecomputed')).toHaveLength(1);
    expect(few.timeline[0]!.kind).toBe('incidentRecomputed');
    expect(few.timeline.length).toBeLessThan(MAX_TIMELINE_ENTRIES_PER_ARRIVAL);
  });
});

describe('duties that follow the severity (UER-1, UER-2, RSM-1, REDE-1, INC-4)', () => {
  it('REDE-1: the designated engineer joins a severity 1 or A opening of a Work Order with Reactive EDE, not B', () => {
    const kinds = (severity: TicketEvent['severity'], context: IncidentContext) =>
      fold([opened(severity, '2027-03-05T10:00:00+01:00')], context).steps[0]!.changes.map((c) => c.kind);
    expect(kinds('A', rede)).toContain('designatedEngineerJoins');
    expect(kinds('1', rede)).toContain('designatedEngineerJoins');
    expect(kinds('B', rede)).not.toContain('designatedEngineerJoins');
    expect(kinds('A', base)).not.toContain('designatedEngineerJoins');
  });

  it('REDE-1: a raise to 1 or A brings the engineer once per incident; without Reactive EDE never', () => {
    const events = [
      opened('B', '2027-03-05T10:00:00+01:00'),
      event('SeverityChanged', '2027-03-05T10:10:00+01:00', { severity: 'A' }),
      event('SeverityChanged', '2027-03-05T10:20:00+01:00', { severity: 'B' }),
      event('SeverityChanged', '2027-03-05T10:30:00+01:00', { severity: '1' }),
    ];
    const joins = (context: IncidentContext) =>
      fold(events, context).steps.map((s) => s.changes.filter((c) => c.kind === 'designatedEngineerJoins').length);
    expect(joins(rede)).toEqual([0, 1, 0, 0]);
    expect(joins(base)).toEqual([0, 0, 0, 0]);
    const rule = fold(events, rede).steps[1]!.changes.find((c) => c.kind === 'designatedEngineerJoins')!.rule;
    expect(rule).toBe('REDE-1');
  });

  it('UER-1, RSM-1: a raise to A assigns the manager and starts escalation once; a later raise to 1 repeats neither', () => {
    const { incident, steps } = fold(
      [
        opened('B', '2027-03-05T10:00:00+01:00'),
        event('SeverityChanged', '2027-03-05T10:10:00+01:00', { severity: 'A' }),
        event('SeverityChanged', '2027-03-05T10:20:00+01:00', { severity: '1' }),
      ],
      uer,
    );
    expect(steps[0]!.changes.map((c) => c.kind)).toEqual(['incidentOpened']);
    expect(steps[1]!.changes.map((c) => [c.kind, c.rule])).toEqual([
      ['severityChanged', 'RESP-SEVCHG'],
      ['seniorIncidentManagerAssigned', 'UER-1'],
      ['rsmEscalationStarted', 'RSM-1'],
    ]);
    expect(steps[2]!.changes.map((c) => c.kind)).toEqual(['severityChanged']);
    expect(incident).toMatchObject({
      seniorIncidentManagerAssigned: true,
      postIncidentReviewRequired: true,
      rsmEscalation: 'automatic',
      severityHistory: ['B', 'A', '1'],
    });
  });

  it('RSM-1: without UER a raise to A starts escalation but assigns no manager; a drop to B ends the automatic escalation', () => {
    const { incident, steps } = fold([
      opened('B', '2027-03-05T10:00:00+01:00'),
      event('SeverityChanged', '2027-03-05T10:10:00+01:00', { severity: 'A' }),
      event('SeverityChanged', '2027-03-05T10:20:00+01:00', { severity: 'B' }),
    ]);
    expect(steps[1]!.changes.map((c) => c.kind)).toEqual(['severityChanged', 'rsmEscalationStarted']);
    expect(steps[2]!.changes.map((c) => c.kind)).toEqual(['severityChanged']);
    expect(incident).toMatchObject({ seniorIncidentManagerAssigned: false, rsmEscalation: 'onRequest' });
    // B → C stays on request: no escalation starts
    const lowered = fold([
      opened('B', '2027-03-05T10:00:00+01:00'),
      event('SeverityChanged', '2027-03-05T10:10:00+01:00', { severity: 'C' }),
    ]);
    expect(lowered.steps[1]!.changes.map((c) => c.kind)).toEqual(['severityChanged']);
  });

  it('UER-1, RSM-1: a severity A opening under UER names the manager and the escalation it starts', () => {
    const { steps } = fold([opened('A', '2027-03-05T10:00:00+01:00')], uer);
    expect(steps[0]!.changes.map((c) => [c.kind, c.rule])).toEqual([
      ['incidentOpened', 'RESP-PICK'],
      ['seniorIncidentManagerAssigned', 'UER-1'],
      ['rsmEscalationStarted', 'RSM-1'],
    ]);
  });

  it('UER-2: closing a severity 1 incident under UER requires the review; closing one under Base does not', () => {
    const events = [opened('1', '2027-03-05T10:00:00+01:00'), event('Closed', '2027-03-05T11:00:00+01:00')];
    expect(fold(events, uer).steps[1]!.changes.map((c) => [c.kind, c.rule ?? null])).toEqual([
      ['incidentClosed', null],
      ['postIncidentReviewRequired', 'UER-2'],
    ]);
    expect(fold(events, base).steps[1]!.changes.map((c) => c.kind)).toEqual(['incidentClosed']);
    expect(fold(events, base).incident).toMatchObject({ status: 'closed', closedAt: '2027-03-05T11:00:00+01:00' });
  });

  it('INC-4: an unresponsive customer on a severity 1 incident lowers it to B, recomputed from the open time', () => {
    const { incident, steps } = fold([
      opened('1', '2027-03-05T10:00:00+01:00'),
      event('CustomerUnresponsive', '2027-03-05T10:05:00+01:00'),
    ]);
    expect(steps[1]).toMatchObject({ effect: 'applied' });
    expect(steps[1]!.changes.map((c) => [c.kind, c.rule])).toEqual([['severityChanged', 'INC-4']]);
    expect(incident).toMatchObject({
      severity: 'B',
      firstResponse: { clock: 'businessHours', targetMinutes: 120, dueAt: '2027-03-05T12:00:00+01:00' },
      warningAt: '2027-03-05T11:36:00+01:00',
    });
  });

  it('RESP-SEVCHG: each recomputation is kept in the explanation history with the event that caused it', () => {
    const raise = event('SeverityChanged', '2027-03-05T10:10:00+01:00', { severity: 'A' });
    const { incident } = fold([opened('B', '2027-03-05T10:00:00+01:00'), raise]);
    expect(incident!.firstResponse.explanation!.history!.map((h) => [h.cause, h.rule, h.eventId])).toEqual([
      ['IncidentOpened', 'RESP-PICK', incident!.openedBy],
      ['SeverityChanged', 'RESP-SEVCHG', raise.eventId],
    ]);
  });
});

describe('the fold step by step (RESP-LATE)', () => {
  it('RESP-LATE: an event before the opening is ignored with no target; each step records when it was received', () => {
    const early = event('Closed', '2027-03-05T09:00:00+01:00');
    const open = opened('B', '2027-03-05T10:00:00+01:00');
    const { steps } = foldIncident(
      [kept(early, '2027-03-05T08:01:00Z'), kept(open, '2027-03-05T09:02:00Z')],
      () => base,
    );
    expect(steps[0]).toMatchObject({
      effect: 'ignored',
      rule: 'RESP-LATE',
      firstResponse: null,
      receivedAt: '2027-03-05T08:01:00Z',
    });
    expect(steps[1]).toMatchObject({
      effect: 'applied',
      receivedAt: '2027-03-05T09:02:00Z',
      firstResponse: { state: 'pending' },
    });
    expect(steps[1]).not.toHaveProperty('reason');
    expect(steps[1]).not.toHaveProperty('rule');
  });

  it('RESP-LATE: a reopening applies only to a closed incident, and opens it again without a closing time', () => {
    const { incident, steps } = fold([
      opened('B', '2027-03-05T10:00:00+01:00'),
      event('Closed', '2027-03-05T10:30:00+01:00'),
      event('Reopened', '2027-03-05T10:40:00+01:00'),
      event('SeverityChanged', '2027-03-05T10:50:00+01:00', { severity: 'C' }),
    ]);
    expect(steps.map((s) => s.effect)).toEqual(['applied', 'applied', 'applied', 'applied']);
    // a reopening of an open incident is kept as ignored, and the timeline says which rule decided it
    const { last: ignored } = arriveAll([
      opened('B', '2027-03-05T10:00:00+01:00'),
      event('Reopened', '2027-03-05T10:40:00+01:00'),
    ]);
    expect(ignored.timeline.map((t) => [t.kind, t.rule])).toEqual([['ticketEventIgnored', 'RESP-LATE']]);
    expect(ignored.step).toMatchObject({ effect: 'ignored', rule: 'RESP-LATE' });
    expect(steps[2]!.changes.map((c) => c.kind)).toEqual(['incidentReopened']);
    expect(incident).toMatchObject({ status: 'open', closedAt: null, severity: 'C' });
  });

  it('INC-3: the first human response is judged against the due time in force; a second one changes nothing', () => {
    const { incident, steps } = fold([
      opened('A', '2027-03-05T10:00:00+01:00'),
      event('FirstResponse', '2027-03-05T11:00:00+01:00', { automated: false }),
      event('FirstResponse', '2027-03-05T11:05:00+01:00', { automated: false }),
    ]);
    expect(steps[1]!.changes.map((c) => [c.kind, c.rule])).toEqual([['firstResponseMet', 'INC-3']]);
    expect(steps[2]).toMatchObject({ effect: 'applied', rule: 'INC-3', changes: [] });
    expect(incident!.firstResponse).toMatchObject({ respondedAt: '2027-03-05T11:00:00+01:00', state: 'met' });
  });

  it('the opening keeps its facts: description defaults to empty, the cloud only when named', () => {
    const withCloud = fold([opened('B', '2027-03-05T10:00:00+01:00', { cloud: 'AzureGovernment' })]).incident!;
    expect(withCloud.facts).toEqual({
      severity: 'B',
      product: { family: 'Azure', service: 'Azure SQL Database' },
      channel: 'phone',
      description: '',
      location: 'NL',
      openedAt: '2027-03-05T10:00:00+01:00',
      cloud: 'AzureGovernment',
    });
    expect(fold([opened('B', '2027-03-05T10:00:00+01:00')]).incident!.facts).not.toHaveProperty('cloud');
  });
});

describe('where an arrival takes its context and history from (RESP-LATE)', () => {
  it('RESP-LATE: an arrival needs the history only when it falls before the last kept event; the context only for an earlier opening', () => {
    const open = opened('B', '2027-03-05T10:00:00+01:00');
    const { record } = arriveAll([open, event('Closed', '2027-03-05T11:00:00+01:00')]);
    expect(arrivalNeeds(undefined, open)).toEqual({ history: false, context: true });
    expect(arrivalNeeds(record, event('Reopened', '2027-03-05T11:00:00.001+01:00'))).toEqual({
      history: false,
      context: false,
    });
    expect(arrivalNeeds(record, event('FirstResponse', '2027-03-05T10:59:00+01:00', { automated: false }))).toEqual({
      history: true,
      context: false,
    });
    expect(arrivalNeeds(record, opened('B', '2027-03-05T09:59:00+01:00'))).toEqual({ history: true, context: true });
    expect(arrivalNeeds(record, opened('B', '2027-03-05T10:01:00+01:00'))).toEqual({ history: true, context: false });
  });

  it('an arrival without the context or history it needs is a programming error, not a silent guess', () => {
    const open = opened('B', '2027-03-05T10:00:00+01:00');
    expect(() => arrive({ arriving: kept(open) })).toThrow(/No context/);
    const { record } = arriveAll([open, event('Closed', '2027-03-05T11:00:00+01:00')]);
    expect(() => arrive({ record, arriving: kept(event('Closed', '2027-03-05T10:30:00+01:00')) })).toThrow(
      /needs the kept events/,
    );
    const other = {
      ...record,
      cursor: { ...record.cursor, context: { ...record.cursor.context!, openerEventId: 'x' } },
    };
    expect(() => stepsOf(other, [kept(open)])).toThrow(/No context/);
  });

  it('RESP-LATE: the record is stored under the event, and knows whether the clock must start', () => {
    const open = opened('B', '2027-03-05T10:00:00+01:00');
    const first = arrive({ arriving: kept(open), openerContext: base });
    expect(first).toMatchObject({ started: true, record: { incidentId: 'INC-1', workOrderId: 'wo-1' } });
    const next = arrive({ record: first.record, arriving: kept(event('Closed', '2027-03-05T10:10:00+01:00')) });
    expect(next.started).toBe(false);
    expect(next.record.incident!.status).toBe('closed');
    expect(clockOf(next.record.incident!)).toEqual({
      incidentId: 'INC-1',
      status: 'closed',
      state: 'pending',
      dueAt: '2027-03-05T12:00:00+01:00',
      warningAt: '2027-03-05T11:36:00+01:00',
    });
  });

  it('RESP-LATE (another Work Order): a stored incident of another Work Order refuses the event', () => {
    const { record } = arriveAll([opened('B', '2027-03-05T10:00:00+01:00')]);
    const e = event('Closed', '2027-03-05T11:00:00+01:00');
    expect(refuseArrival(e, '2027-03-05T12:00:00Z', { record: { ...record, workOrderId: 'wo-2' } })).toMatchObject({
      rule: 'RESP-LATE',
      path: 'workOrderId',
    });
    expect(refuseArrival(e, '2027-03-05T12:00:00Z', { record })).toBeNull();
  });

  it('REDE-1, AEM-6: the snapshot an opening leaves keeps the designated engineer and the windows around it', () => {
    const open = opened('A', '2027-03-05T10:00:00+01:00');
    const around = { from: '2027-03-05T00:00:00Z', to: '2027-03-06T00:00:00Z' };
    const snapshot = snapshotContext(open, {
      coverage: {
        plans: ['BASE', 'AEM'],
        aemWindows: [around, { from: '2027-03-06T00:00:00Z', to: '2027-03-07T00:00:00Z' }],
      },
      calendar,
      designatedEngineer: true,
    });
    expect(snapshot).toMatchObject({
      openerEventId: open.eventId,
      openerOccurredAt: open.occurredAt,
      coverage: { plans: ['BASE', 'AEM'], aemWindows: [around] },
      designatedEngineer: true,
    });
    expect(contextFromSnapshot(snapshot).designatedEngineer).toBe(true);
    const plain = snapshotContext(open, { coverage: { plans: ['BASE'] }, calendar });
    expect(plain).not.toHaveProperty('designatedEngineer');
    expect(plain.coverage.aemWindows).toEqual([]);
    expect(contextFromSnapshot(plain)).not.toHaveProperty('designatedEngineer');
    expect(contextFromSnapshot(plain).calendar.definition).toEqual(calendar.definition);
  });
});

describe('the incident as the api-contract shows it', () => {
  it('incidentView shows the state with the facts it was opened with', () => {
    const { record } = arriveAll([opened('A', '2027-03-05T10:00:00+01:00', { channel: 'email' })], uer);
    const incident = record.incident!;
    expect(incidentView(incident)).toEqual({
      incidentId: 'INC-1',
      workOrderId: 'wo-1',
      severity: 'A',
      status: 'open',
      openedAt: '2027-03-05T10:00:00+01:00',
      closedAt: null,
      coverage: ['BASE', 'UER'],
      firstResponse: incident.firstResponse,
      seniorIncidentManagerAssigned: true,
      postIncidentReviewRequired: false,
      rsmEscalation: 'automatic',
      rca: null,
      product: { family: 'Azure', service: 'Azure SQL Database' },
      channel: 'email',
      location: 'NL',
    });
  });
});

describe('ticket event schema: each type requires its own fields', () => {
  const minimal = { eventId: 'x', occurredAt: '2027-03-05T16:50:00+01:00', incidentId: 'I', workOrderId: 'w' };
  const openingFields = {
    severity: 'B',
    product: { family: 'Azure', service: 'Azure SQL Database' },
    channel: 'phone',
    location: 'NL',
  };
  it('IncidentOpened needs severity, product, channel and location; SeverityChanged a severity; FirstResponse automated', () => {
    expect(ticketEventSchema.safeParse({ ...minimal, type: 'IncidentOpened', ...openingFields }).success).toBe(true);
    for (const field of Object.keys(openingFields)) {
      const without = { ...minimal, type: 'IncidentOpened', ...openingFields, [field]: undefined };
      const result = ticketEventSchema.safeParse(without);
      expect(result.success).toBe(false);
      expect(result.error!.issues.map((i) => i.path.join('.'))).toEqual([field]);
    }
    expect(ticketEventSchema.safeParse({ ...minimal, type: 'FirstResponse' }).success).toBe(false);
    expect(ticketEventSchema.safeParse({ ...minimal, type: 'FirstResponse', automated: false }).success).toBe(true);
    expect(ticketEventSchema.safeParse({ ...minimal, type: 'SeverityChanged', severity: 'C' }).success).toBe(true);
    for (const type of ['CustomerUnresponsive', 'Closed', 'Reopened'])
      expect(ticketEventSchema.safeParse({ ...minimal, type }).success).toBe(true);
  });
});
