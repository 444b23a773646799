import { describe, expect, it } from 'vitest';
import { aemPhaseDates, nextFollowUp, planAemBooking, postEventSummary } from '../../domain/aem/aemBooking';
import { aemDueKind, aemSteps } from '../../domain/aem/aemRecord';

const zone = 'Europe/Amsterdam';
const plan = planAemBooking({
  solutionName: 'checkout',
  cloud: 'AzurePublic',
  start: '2027-11-20',
  days: 7,
  confirmedAt: '2027-09-01',
});

describe('AEM quantities per event and post-event follow-up', () => {
  it("ENT-1, AEM-6: each event of a booking has its own step at its window's start (consumed then)", () => {
    const steps = aemSteps({ phases: aemPhaseDates(plan, zone), events: plan.events, timeZone: zone });
    expect(steps.map((s) => [s.phase, s.at, s.input])).toEqual([
      ['assessment', '2027-11-05T23:00:00.000Z', undefined],
      ['live', '2027-11-19T23:00:00.000Z', { event: 0 }],
      ['live', '2027-11-24T23:00:00.000Z', { event: 1 }],
      ['postEvent', '2027-11-26T23:00:00.000Z', undefined],
    ]);
    expect(steps.map(aemDueKind)).toEqual(['aem:assessment', 'aem:live', 'aem:live:1', 'aem:postEvent']);
  });

  it('AEM-7: the summary shows each case with its state; unresolved cases are followed daily up to the limit', () => {
    const window = aemPhaseDates(plan, zone).live;
    const summary = postEventSummary(window, [
      { incidentId: 'INC-1', openedAt: '2027-11-21T10:00:00+01:00', status: 'closed' },
      { incidentId: 'INC-2', openedAt: '2027-11-26T23:00:00+01:00', status: 'open' },
    ]);
    expect(summary.caseStates).toEqual([
      { incidentId: 'INC-1', openedAt: '2027-11-21T10:00:00+01:00', status: 'closed' },
      { incidentId: 'INC-2', openedAt: '2027-11-26T23:00:00+01:00', status: 'open' },
    ]);
    expect(nextFollowUp(summary, window.to, '2027-11-27T00:00:00Z')).toBe('2027-11-28T00:00:00.000Z');
    // 30 days after the window's end (configurable) the provider stops looking.
    expect(nextFollowUp(summary, window.to, '2027-12-26T00:00:00Z')).toBe(null);
    expect(nextFollowUp({ allResolved: true }, window.to, '2027-11-27T00:00:00Z')).toBe(null);
  });
});
