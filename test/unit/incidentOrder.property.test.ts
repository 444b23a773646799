import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { supportLocationCalendar } from '../../domain/calendar/businessCalendar';
import { arrivalNeeds, arrive, stepsOf, type IncidentRecord } from '../../domain/incidents/arrival';
import type { IncidentContext } from '../../domain/incidents/incident';
import { foldIncident, type KeptEvent } from '../../domain/incidents/incidentFold';
import { ticketEventSchema, type TicketEvent } from '../../domain/incidents/ticketEvent';

/**
 * RESP-LATE: "the incident is the same whatever order its events arrive in". Generated valid event sets (openings,
 * severity changes, automated and human responses, unresponsive customers, closes and reopens, on business-hours and
 * 24x7 severities, under Base, UER, Rapid Response and AEM plans, NL and US calendars) arrive one by one through
 * `arrive` exactly as ingestion applies them (in-order arrivals on the stored state, earlier ones folded again from
 * the kept events); every order must end in the same incident and the same ignored set as the fold of the set.
 */

const SETS = 150;
/** Sets of at most this many events are checked in every order; larger ones in RANDOM_ORDERS orders besides sorted and reversed. */
const EXHAUSTIVE_UP_TO = 5;
const RANDOM_ORDERS = 12;
let setsChecked = 0;
let ordersChecked = 0;

const calendars = [
  supportLocationCalendar({ country: 'NL', timeZone: 'Europe/Amsterdam' }),
  supportLocationCalendar({ country: 'US', timeZone: 'America/New_York' }),
];
const coverages: Array<IncidentContext['coverage']> = [
  { plans: ['BASE'] },
  { plans: ['BASE', 'UER'] },
  { plans: ['BASE', 'RAPID_RESPONSE'] },
  { plans: ['BASE', 'UER', 'AEM'], aemWindows: [{ from: '2027-03-04T00:00:00Z', to: '2027-03-09T00:00:00Z' }] },
];

// Friday 2027-03-05 15:00 UTC: minutes from here cross closing time, a weekend and Monday's opening.
const T0 = Date.parse('2027-03-05T15:00:00Z');
/** Coarse steps so that ties in occurredAt (broken by eventId) happen often. */
const minute = fc.integer({ min: 0, max: 96 }).map((k) => k * 45);
const severity = fc.constantFrom('1', 'A', 'B', 'C');

type Draft = Omit<TicketEvent, 'eventId' | 'incidentId' | 'workOrderId' | 'occurredAt'> & { at: number };
const draft: fc.Arbitrary<Draft> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ type: fc.constant('SeverityChanged' as const), severity, at: minute }) },
  {
    weight: 3,
    arbitrary: fc.record({ type: fc.constant('FirstResponse' as const), automated: fc.boolean(), at: minute }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('CustomerUnresponsive' as const), at: minute }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('Closed' as const), at: minute }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('Reopened' as const), at: minute }) },
);
const opening = fc.record({
  severity,
  at: fc.integer({ min: 0, max: 12 }).map((k) => k * 45),
  product: fc.constantFrom(
    { family: 'Azure', service: 'Azure SQL Database' },
    { family: 'Microsoft 365', service: 'Exchange Online' },
  ),
  channel: fc.constantFrom('phone' as const, 'azurePortal' as const),
});

const eventSet = fc
  .record({
    openings: fc.array(opening, { minLength: 1, maxLength: 2 }),
    others: fc.array(draft, { minLength: 0, maxLength: 8 }),
    calendar: fc.constantFrom(...calendars),
    coverage: fc.constantFrom(...coverages),
    ids: fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k'), {
      minLength: 4,
      maxLength: 4,
    }),
  })
  .map(({ openings, others, calendar, coverage, ids }) => {
    const iso = (at: number) => new Date(T0 + at * 60_000).toISOString();
    // eventIds are unique; their order (the tie-break) is not the order of generation.
    const id = (i: number) => `${ids[i % ids.length]}${String(i).padStart(2, '0')}`;
    const events: TicketEvent[] = [
      ...openings.map((o) => ({
        type: 'IncidentOpened' as const,
        severity: o.severity,
        product: o.product,
        channel: o.channel,
        description: 'AEM checkout latency',
        location: calendar.country,
        at: o.at,
      })),
      ...others,
    ].map(({ at, ...rest }, i) =>
      ticketEventSchema.parse({
        ...rest,
        eventId: id(i),
        incidentId: 'INC-P',
        workOrderId: 'wo-p',
        occurredAt: iso(at),
      }),
    );
    return { events, context: { coverage, calendar } satisfies IncidentContext };
  });

/** Each event arrives on the record the previous ones left, as ingestion does it. */
function arriveInOrder(events: readonly TicketEvent[], context: IncidentContext) {
  let record: IncidentRecord | undefined;
  const kept: KeptEvent[] = [];
  for (const event of events) {
    const arriving = { event, receivedAt: '2027-03-09T00:00:00Z', messageId: event.eventId };
    const needs = arrivalNeeds(record, event);
    record = arrive({
      record,
      arriving,
      kept: needs.history ? kept : undefined,
      openerContext: needs.context ? context : undefined,
    }).record;
    kept.push(arriving);
  }
  return { record: record!, kept };
}

/** What must not depend on arrival order. */
function outcome(events: readonly TicketEvent[], context: IncidentContext) {
  const { record, kept } = arriveInOrder(events, context);
  const steps = stepsOf(record, kept);
  const i = record.incident;
  return {
    status: i?.status,
    severity: i?.severity,
    coverage: i?.coverage,
    firstResponse: i?.firstResponse,
    incident: i,
    cursor: record.cursor,
    ignored: steps.filter((s) => s.effect === 'ignored').map((s) => [s.eventId, s.reason]),
    effects: steps.map((s) => [s.eventId, s.effect, s.reason ?? null]),
  };
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('RESP-LATE: every arrival order gives the same incident (property)', () => {
  afterAll(() => {
    console.log(`incident order property: ${setsChecked} generated event sets, ${ordersChecked} arrival orders`);
  });

  it('generated event sets end the same in every order, and as the fold of the set', () => {
    fc.assert(
      fc.property(
        eventSet.chain((set) =>
          fc.record({
            set: fc.constant(set),
            orders:
              set.events.length <= EXHAUSTIVE_UP_TO
                ? fc.constant(permutations(set.events))
                : fc
                    .array(fc.shuffledSubarray(set.events, { minLength: set.events.length }), {
                      minLength: RANDOM_ORDERS,
                      maxLength: RANDOM_ORDERS,
                    })
                    .map((random) => [set.events, [...set.events].reverse(), ...random]),
          }),
        ),
        ({ set, orders }) => {
          setsChecked++;
          const { events, context } = set;
          const folded = foldIncident(
            events.map((event) => ({ event, receivedAt: '2027-03-09T00:00:00Z', messageId: event.eventId })),
            () => context,
          );
          const expected = outcome(events, context);
          expect(expected.incident ? { ...expected.incident, rca: undefined } : null).toEqual(
            folded.incident ? { ...folded.incident, rca: undefined } : null,
          );
          for (const order of orders) {
            ordersChecked++;
            expect(outcome(order, context)).toEqual(expected);
          }
        },
      ),
      // Under Stryker (vitest.mutate.config.ts) a failure only has to be noticed, not shrunk to a small example.
      { numRuns: SETS, endOnFailure: process.env.MUTATION_RUN === '1' },
    );
  });
});
