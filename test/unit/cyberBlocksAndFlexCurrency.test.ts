import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { planCyberEngagement } from '../../domain/cyber/cyberEngagement';
import { RuleViolation } from '../../domain/ruleViolation';
import { flexCreditsCap } from '../../domain/workOrder/flex';
import { addEntitlement, acceptWorkOrder } from '../../domain/workOrder/workOrderView';
import type { WorkOrderRequestBody } from '../../domain/workOrder/workOrderSchema';

const body = (over: Partial<WorkOrderRequestBody> = {}): WorkOrderRequestBody => ({
  customerId: 'contoso',
  number: 'WO-1',
  signedAt: '2026-12-15',
  term: { start: '2027-01-01', end: '2027-12-31' },
  host: { country: 'NL', timeZone: 'Europe/Amsterdam' },
  currency: 'USD',
  basePackage: { listPrice: 1_000_000, flexAllowancePerYear: 150_000 },
  ...over,
});
const create = (over: Partial<WorkOrderRequestBody> = {}) =>
  acceptWorkOrder(body(over), { id: 'wo-1', asOf: '2027-01-01' });
function violation(fn: () => unknown): RuleViolation {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleViolation) return e;
    throw e;
  }
  throw new Error('expected a RuleViolation');
}
const pacific = {
  offering: 'CYBER_INCIDENT_RESPONSE',
  start: '2027-04-05',
  days: 5,
  timeZone: 'America/Los_Angeles',
} as const;

describe('CYB-3: cybersecurity days are the CYB-2 minimum plus whole 5-day blocks', () => {
  it('CYB-3: a purchase of 5, 10 or 15 days is accepted; 7 or 12 is refused with 422 CYB-3', () => {
    for (const days of [5, 10, 15])
      expect(
        create({ entitlements: [{ serviceCode: 'CYBER_INCIDENT_RESPONSE', days }] }).entitlements[0],
      ).toMatchObject({ purchased: days });
    for (const days of [7, 12]) {
      const v = violation(() => create({ entitlements: [{ serviceCode: 'CYBER_INCIDENT_RESPONSE', days }] }));
      expect(v).toMatchObject({ rule: 'CYB-3', status: 422, path: 'entitlements[0].days' });
    }
  });

  it('CYB-3: the workshop is 3 days plus blocks (3, 8), the 1-day Remote 1 plus blocks (1, 6)', () => {
    expect(() => create({ entitlements: [{ serviceCode: 'CYBER_CRISIS_WORKSHOP', days: 8 }] })).not.toThrow();
    expect(violation(() => create({ entitlements: [{ serviceCode: 'CYBER_CRISIS_WORKSHOP', days: 5 }] })).rule).toBe(
      'CYB-3',
    );
    expect(() => create({ entitlements: [{ serviceCode: 'CYBER_INCIDENT_RESPONSE_1DAY', days: 6 }] })).not.toThrow();
    expect(
      violation(() => create({ entitlements: [{ serviceCode: 'CYBER_INCIDENT_RESPONSE_1DAY', days: 2 }] })).rule,
    ).toBe('CYB-3');
  });

  it('CYB-3: the same holds for a purchase during the term and for an engagement booking', () => {
    const wo = create();
    expect(
      violation(() => addEntitlement(wo, { serviceCode: 'CYBER_OPERATIONS_SERVICE', days: 6 }, '2027-02-01')).rule,
    ).toBe('CYB-3');
    expect(
      addEntitlement(wo, { serviceCode: 'CYBER_OPERATIONS_SERVICE', days: 10 }, '2027-02-01').workOrder.entitlements,
    ).toHaveLength(1);
    expect(violation(() => planCyberEngagement({ ...pacific, days: 6 })).rule).toBe('CYB-3');
    expect(planCyberEngagement({ ...pacific, days: 10 }).hours).toBe(80);
  });
});

describe('FLEX-2 in another currency', () => {
  it('FLEX-2: the floor is 50,000 × usdRate (EUR at 0.9 → 45,000; JPY at 150 → 7,500,000, capped by the allowance)', () => {
    expect(flexCreditsCap(150_000, undefined, 0.9)).toBe(45_000);
    expect(flexCreditsCap(1_000_000, undefined, 0.9)).toBe(200_000);
    expect(flexCreditsCap(20_000_000, undefined, 150)).toBe(7_500_000);
    expect(flexCreditsCap(5_000_000, undefined, 150)).toBe(5_000_000);
  });

  it('FLEX-2: a EUR Work Order at usdRate 0.9 may put 45,000 into credits, not 50,000', () => {
    const eur = { currency: 'EUR', usdRate: 0.9 } as const;
    const wo = create({ ...eur, flexAllocations: [{ year: 1, target: 'proactiveCredits', amount: 45_000 }] });
    expect(wo.flexPeriods[0]?.creditsCap).toBe(45_000);
    const v = violation(() =>
      create({ ...eur, flexAllocations: [{ year: 1, target: 'proactiveCredits', amount: 50_000 }] }),
    );
    expect(v).toMatchObject({ rule: 'FLEX-2', status: 422 });
    // In USD the same 50,000 is exactly the floor.
    expect(() => create({ flexAllocations: [{ year: 1, target: 'proactiveCredits', amount: 50_000 }] })).not.toThrow();
  });

  it('FLEX-2: usdRate is required when the currency is not USD (400 with the field)', () => {
    try {
      create({ currency: 'EUR' });
      throw new Error('expected a ZodError');
    } catch (e) {
      expect(e).toBeInstanceOf(ZodError);
      expect((e as ZodError).issues.map((i) => i.path.join('.'))).toContain('usdRate');
    }
  });
});
