// Edges of the AEM rules (AEM-1..AEM-8, ENT-1, EXP-1) and the cybersecurity rules (CYB-2..CYB-6) that mutation testing
// found unproven: boundaries from both sides and the refusal's rule, field and message.
import { describe, expect, it } from 'vitest';
import {
  aemEventRequestSchema,
  aemWindow,
  mayCancelAemEvent,
  nextFollowUp,
  planAemBooking,
  postEventSummary,
} from '../../domain/aem/aemBooking';
import { DEFAULT_CATALOGUE } from '../../domain/catalogue/serviceCatalogue';
import { RuleViolation } from '../../domain/ruleViolation';

function refusal(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof RuleViolation)) throw e;
    return { rule: e.rule, path: e.path, status: e.status, message: e.message };
  }
  throw new Error('expected a RuleViolation');
}

const request = {
  solutionName: 'checkout',
  cloud: 'AzurePublic',
  start: '2027-11-20',
  days: 7,
  confirmedAt: '2027-09-01',
};

describe('AEM rules', () => {
  it('AEM-1: one named solution (trimmed, not blank); the body is strict', () => {
    expect(aemEventRequestSchema.parse({ ...request, solutionName: '  checkout ' }).solutionName).toBe('checkout');
    expect(aemEventRequestSchema.safeParse({ ...request, solutionName: '  ' }).success).toBe(false);
    expect(aemEventRequestSchema.safeParse({ ...request, solutionName: 'ab' }).success).toBe(true);
    expect(aemEventRequestSchema.safeParse({ ...request, extra: true }).success).toBe(false);
  });

  it('AEM-4, AEM-3: refusals name the field and the notice given', () => {
    expect(refusal(() => planAemBooking({ ...request, cloud: 'AzureGovernment' }))).toEqual({
      rule: 'AEM-4',
      path: 'cloud',
      status: 422,
      message: 'Azure Event Management is only available for solutions in Azure Public Cloud.',
    });
    expect(refusal(() => planAemBooking({ ...request, confirmedAt: '2027-10-10' }))).toEqual({
      rule: 'AEM-3',
      path: 'confirmedAt',
      status: 422,
      message: 'AEM events must be confirmed in writing at least 42 days before the start; this one has 41.',
    });
  });

  it('ENT-1: exactly as many events as remain is accepted; one more is refused on the days; EXP-1 on the start', () => {
    expect(planAemBooking(request, { remainingEvents: 2 }).events).toHaveLength(2);
    expect(refusal(() => planAemBooking(request, { remainingEvents: 1 }))).toEqual({
      rule: 'ENT-1',
      path: 'days',
      status: 422,
      message: 'This period needs 2 AEM events; only 1 remain.',
    });
    expect(planAemBooking(request).events).toHaveLength(2); // no entitlement given: not checked
    const term = { start: '2027-01-01', end: '2027-11-25' };
    expect(refusal(() => planAemBooking(request, { term }))).toMatchObject({ rule: 'EXP-1', path: 'start' });
    expect(planAemBooking(request, { term: { ...term, end: '2027-11-26' } }).events).toHaveLength(2);
  });

  it('AEM-2: a window needs at least one event', () => {
    expect(refusal(() => aemWindow([], 'Europe/Amsterdam'))).toEqual({
      rule: 'AEM-2',
      path: 'events',
      status: 422,
      message: 'An AEM booking has at least one event.',
    });
  });

  it('AEM-7: cases opened from the window start (inclusive) to its end (exclusive); resolved when none is open', () => {
    const window = { from: '2027-11-20T00:00:00+01:00', to: '2027-11-27T00:00:00+01:00' };
    const summary = postEventSummary(window, [
      { incidentId: 'before', openedAt: '2027-11-19T22:59:59Z', status: 'open' },
      { incidentId: 'first', openedAt: '2027-11-19T23:00:00Z', status: 'closed' },
      { incidentId: 'last', openedAt: '2027-11-26T22:59:59Z', status: 'open' },
      { incidentId: 'after', openedAt: '2027-11-26T23:00:00Z', status: 'open' },
    ]);
    expect(summary).toMatchObject({ cases: ['first', 'last'], unresolved: ['last'], allResolved: false });
    expect(postEventSummary(window, []).allResolved).toBe(true);
    expect(nextFollowUp({ allResolved: false }, '2027-11-27T00:00:00Z', '2027-12-01T00:00:00Z')).toBe(
      '2027-12-02T00:00:00.000Z',
    );
    // The last follow-up may fall exactly on the limit (the configured days after the window end).
    const windowEnd = '2027-11-27T00:00:00Z';
    const limit = Date.parse(windowEnd) + DEFAULT_CATALOGUE.aem.followUpDays * 86_400_000;
    const checkedAt = new Date(limit - DEFAULT_CATALOGUE.aem.followUpHours * 3_600_000).toISOString();
    expect(nextFollowUp({ allResolved: false }, windowEnd, checkedAt)).toBe(new Date(limit).toISOString());
    expect(
      nextFollowUp({ allResolved: false }, windowEnd, new Date(Date.parse(checkedAt) + 1).toISOString()),
    ).toBeNull();
    expect(nextFollowUp({ allResolved: true }, windowEnd, checkedAt)).toBeNull();
  });

  it('AEM-8: the provider may cancel until the window ends, only when the customer cannot provide what is needed', () => {
    expect(
      (['planned', 'assessment', 'live', 'postEvent', 'closed', 'cancelled'] as const).map((p) =>
        mayCancelAemEvent(p, true),
      ),
    ).toEqual([true, true, true, false, false, false]);
    expect(mayCancelAemEvent('planned', false)).toBe(false);
  });
});
