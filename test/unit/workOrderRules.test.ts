// Edges of the Work Order rules (CRED-2, MN-4, MN-5, FLEX-3, REQ-60) that a rule citation alone did not prove: both
// sides of each boundary, so weakening or flipping a condition fails a test.
import { describe, expect, it } from 'vitest';
import { decideExchange, decideRedemption } from '../../domain/workOrder/credits';
import { assertFlexFunding, flexYearOn, flexYears } from '../../domain/workOrder/flex';
import { assertRequestWindow, isSubjectToRequestWindow, lastRequestDate } from '../../domain/workOrder/requests';
import type { FlexAllocation } from '../../domain/workOrder/workOrderSchema';

const violation = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    const { rule, path } = e as { rule?: string; path?: string };
    return { rule, path };
  }
  return null;
};

describe('CRED-2 credit balances', () => {
  it('CRED-2: a redemption may use the whole balance, not one credit more', () => {
    expect(decideRedemption({ NL: 10 }, { country: 'NL', serviceCode: 'WORKSHOP', value: 10 })).toEqual({
      deducted: 10,
      balance: 0,
      balances: { NL: 0 },
    });
    expect(
      violation(() => decideRedemption({ NL: 10 }, { country: 'NL', serviceCode: 'WORKSHOP', value: 11 })),
    ).toEqual({ rule: 'CRED-2', path: 'value' });
    expect(violation(() => decideRedemption({}, { country: 'NL', serviceCode: 'WORKSHOP', value: 1 }))?.rule).toBe(
      'CRED-2',
    );
  });

  it('CRED-2: an exchange may move the whole balance, not more than the balance', () => {
    const locations = { host: 'NL', downstream: ['DE'] };
    expect(decideExchange({ NL: 10, DE: 5 }, locations, { from: 'NL', to: 'DE', credits: 10, rate: 1.25 })).toEqual({
      debited: 10,
      credited: 13, // MN-4: 12.5 rounded up
      balances: { NL: 0, DE: 18 },
    });
    expect(
      violation(() => decideExchange({ NL: 10 }, locations, { from: 'NL', to: 'DE', credits: 11, rate: 1 })),
    ).toEqual({ rule: 'CRED-2', path: 'credits' });
    expect(violation(() => decideExchange({}, locations, { from: 'DE', to: 'NL', credits: 1, rate: 1 }))?.rule).toBe(
      'CRED-2',
    );
    // A location with no balance yet receives the credits.
    expect(decideExchange({ DE: 4 }, locations, { from: 'DE', to: 'NL', credits: 4, rate: 0.5 }).balances).toEqual({
      DE: 0,
      NL: 2,
    });
  });

  it('MN-4, MN-5: only between two different locations of the Work Order, never with an exception country', () => {
    const locations = { host: 'NL', downstream: ['DE', 'JP'] };
    const balances = { NL: 10, DE: 10, JP: 10 };
    expect(violation(() => decideExchange(balances, locations, { from: 'NL', to: 'FR', credits: 1, rate: 1 }))).toEqual(
      { rule: 'MN-4', path: 'to' },
    );
    expect(violation(() => decideExchange(balances, locations, { from: 'FR', to: 'NL', credits: 1, rate: 1 }))).toEqual(
      { rule: 'MN-4', path: 'from' },
    );
    expect(violation(() => decideExchange(balances, locations, { from: 'NL', to: 'NL', credits: 1, rate: 1 }))).toEqual(
      { rule: 'MN-4', path: 'to' },
    );
    expect(violation(() => decideExchange(balances, locations, { from: 'JP', to: 'NL', credits: 1, rate: 1 }))).toEqual(
      { rule: 'MN-5', path: 'from' },
    );
    expect(violation(() => decideExchange(balances, locations, { from: 'DE', to: 'JP', credits: 1, rate: 1 }))).toEqual(
      { rule: 'MN-5', path: 'to' },
    );
    expect(decideExchange(balances, locations, { from: 'DE', to: 'NL', credits: 1, rate: 1 }).debited).toBe(1);
  });
});

describe('FLEX-3 flex years', () => {
  const term = { start: '2027-03-15', end: '2029-01-31' };

  it('FLEX-3: years run from the start anniversary to the day before the next, the last capped at the term end', () => {
    expect(flexYears(term)).toEqual([
      { year: 1, start: '2027-03-15', end: '2028-03-14' },
      { year: 2, start: '2028-03-15', end: '2029-01-31' },
    ]);
    expect(flexYears({ start: '2027-01-01', end: '2027-12-31' })).toEqual([
      { year: 1, start: '2027-01-01', end: '2027-12-31' },
    ]);
  });

  it('FLEX-3: the flex year that holds a date', () => {
    expect([flexYearOn(term, '2028-03-14'), flexYearOn(term, '2028-03-15'), flexYearOn(term, '2029-02-01')]).toEqual([
      1,
      2,
      null,
    ]);
  });

  it('FLEX-3: a flex-funded delivery allocated to its service and ending by its year end is accepted', () => {
    const allocations: FlexAllocation[] = [
      { year: 1, target: 'service', serviceCode: 'WORKSHOP', amount: 1000 },
      { year: 2, target: 'customProactive', amount: 1000 },
    ];
    expect(assertFlexFunding(term, allocations, { serviceCode: 'WORKSHOP', startDate: '2028-03-12', days: 3 })).toBe(1);
    expect(assertFlexFunding(term, allocations, { serviceCode: 'WORKSHOP', startDate: '2028-03-14', days: 0 })).toBe(1);
    expect(
      assertFlexFunding(term, allocations, { serviceCode: 'CUSTOM_PROACTIVE', startDate: '2028-03-15', days: 1 }),
    ).toBe(2);
  });

  it('FLEX-3: refused when it runs past its year end, starts outside the term or its year allocated nothing to it', () => {
    const allocations: FlexAllocation[] = [
      { year: 1, target: 'service', serviceCode: 'WORKSHOP', amount: 1000 },
      { year: 2, target: 'customProactive', amount: 1000 },
    ];
    const refusal = (request: { serviceCode: string; startDate: string; days: number }) =>
      violation(() => assertFlexFunding(term, allocations, request));
    expect(refusal({ serviceCode: 'WORKSHOP', startDate: '2028-03-13', days: 3 })).toEqual({
      rule: 'FLEX-3',
      path: 'startDate',
    });
    expect(refusal({ serviceCode: 'WORKSHOP', startDate: '2029-02-01', days: 1 })?.rule).toBe('FLEX-3');
    expect(refusal({ serviceCode: 'WORKSHOP', startDate: '2028-03-15', days: 1 })).toEqual({
      rule: 'FLEX-3',
      path: 'serviceCode',
    });
    expect(refusal({ serviceCode: 'CHALK_TALK', startDate: '2027-04-01', days: 1 })).toEqual({
      rule: 'FLEX-3',
      path: 'serviceCode',
    });
    expect(refusal({ serviceCode: 'CUSTOM_PROACTIVE', startDate: '2027-04-01', days: 1 })?.path).toBe('serviceCode');
  });
});

describe('REQ-60 request window', () => {
  const term = { start: '2027-01-01', end: '2027-12-31' };

  it('REQ-60: exactly 60 days before the end is accepted, 59 is refused', () => {
    expect(lastRequestDate(term)).toBe('2027-11-01');
    expect(() => assertRequestWindow(term, '2027-11-01')).not.toThrow();
    expect(violation(() => assertRequestWindow(term, '2027-11-02'))?.rule).toBe('REQ-60');
  });

  it('REQ-60: applies to proactive, enhanced and cybersecurity services, not to reactive or SDM ones', () => {
    expect(
      (['WORKSHOP', 'UER', 'CYBER_INCIDENT_RESPONSE', 'ADVISORY_SUPPORT', 'SDM_ADDON'] as const).map((code) =>
        isSubjectToRequestWindow(code),
      ),
    ).toEqual([true, true, true, false, false]);
  });
});
