import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { RuleViolation } from '../../domain/ruleViolation';
import { creditsForValue, decideExchange, exchangedCredits, decideRedemption } from '../../domain/workOrder/credits';
import {
  decideSwap,
  drawDownHours,
  findEntitlement,
  newBalance,
  quantityForRequest,
  releaseEntitlement,
  consumeReserved,
  requestSwap,
  reserveEntitlement,
} from '../../domain/workOrder/entitlements';
import { flexCreditsCap, flexYears } from '../../domain/workOrder/flex';
import {
  assertDeliveryWithinTerm,
  assertRequestWindow,
  decideCancellation,
  lastRequestDate,
  transitionServiceRequest,
  decideFeeWaiver,
} from '../../domain/workOrder/requests';
import { dependentsEndingWith, endEntitlement, decideTermination } from '../../domain/workOrder/termination';
import { dutiesFor, termQuarters, uerOnboardingDueBy } from '../../domain/workOrder/duties';
import {
  addEntitlement,
  assertInForce,
  calendarForLocation,
  coveragePlans,
  acceptWorkOrder,
  expireUnused,
  workOrderStatus,
} from '../../domain/workOrder/workOrderView';
import { workOrderInputSchema, type WorkOrderRequestBody } from '../../domain/workOrder/workOrderSchema';
import { DEFAULT_CATALOGUE } from '../../domain/catalogue/serviceCatalogue';

const body = (over: Partial<WorkOrderRequestBody> = {}): WorkOrderRequestBody => ({
  customerId: 'contoso',
  number: 'WO-1001',
  signedAt: '2026-12-15',
  term: { start: '2027-01-01', end: '2028-12-31' },
  host: { country: 'NL', timeZone: 'Europe/Amsterdam' },
  downstream: [{ country: 'DE', timeZone: 'Europe/Berlin' }],
  currency: 'USD',
  basePackage: { listPrice: 1_200_000, flexAllowancePerYear: 150_000 },
  flexAllocations: [
    { year: 1, target: 'proactiveCredits', amount: 50_000 },
    { year: 1, target: 'service', serviceCode: 'RAP_AS_A_SERVICE', amount: 100_000 },
  ],
  entitlements: [
    { serviceCode: 'UER' },
    { serviceCode: 'RAPID_RESPONSE' },
    { serviceCode: 'AEM', quantity: 3 },
    { serviceCode: 'EDE', hours: 400 },
    { serviceCode: 'CYBER_INCIDENT_RESPONSE', days: 5 },
  ],
  proactiveCredits: { NL: 200 },
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

describe('Work Order creation', () => {
  it('builds the stored view of the contract example', () => {
    const wo = create();
    expect(wo.status).toBe('active');
    expect(wo.flexPeriods).toMatchObject([
      {
        year: 1,
        start: '2027-01-01',
        end: '2027-12-31',
        allowance: 150000,
        allocated: 150000,
        forfeited: 0,
        creditsCap: 50000,
      },
      {
        year: 2,
        start: '2028-01-01',
        end: '2028-12-31',
        allowance: 150000,
        allocated: 0,
        forfeited: 150000,
        creditsCap: 50000,
      },
    ]);
    expect(findEntitlement(wo.entitlements, 'EDE')).toMatchObject({
      unit: 'hours',
      purchased: 400,
      remaining: 400,
      endsOn: '2028-12-31',
    });
    expect(findEntitlement(wo.entitlements, 'UER')).toMatchObject({ unit: 'instances', remaining: 1 });
    expect(wo.creditBalances).toEqual({ NL: 200 });
  });

  it('schema: strict objects refuse unknown fields and malformed enumerations (400)', () => {
    expect(() => create({ extra: 1 } as never)).toThrow(ZodError);
    expect(() => create({ entitlements: [{ serviceCode: 'EDE' }] })).toThrow(ZodError); // hours missing
    expect(() => create({ entitlements: [{ serviceCode: 'NOPE' as never }] })).toThrow(ZodError);
    expect(
      workOrderInputSchema.safeParse(body({ downstream: [{ country: 'NL', timeZone: 'Europe/Amsterdam' }] })).success,
    ).toBe(false);
  });

  it('FLEX-1: cannot allocate more than the allowance; reactive services cannot be bought with flex', () => {
    expect(
      violation(() =>
        create({ flexAllocations: [{ year: 1, target: 'service', serviceCode: 'WORKSHOP', amount: 150_001 }] }),
      ).rule,
    ).toBe('FLEX-1');
    expect(
      violation(() =>
        create({ flexAllocations: [{ year: 1, target: 'service', serviceCode: 'RSM_ADDON', amount: 10 }] }),
      ).rule,
    ).toBe('FLEX-1');
  });

  it('FLEX-2: caps credits and custom proactive at max(20%, 50000), never above the allowance', () => {
    expect(flexCreditsCap(150_000)).toBe(50_000);
    expect(flexCreditsCap(1_000_000)).toBe(200_000);
    expect(flexCreditsCap(40_000)).toBe(40_000);
    const v = violation(() =>
      create({
        flexAllocations: [
          { year: 1, target: 'proactiveCredits', amount: 30_000 },
          { year: 1, target: 'service', serviceCode: 'CUSTOM_PROACTIVE', amount: 20_001 },
        ],
      }),
    );
    expect(v).toMatchObject({ rule: 'FLEX-2', status: 422, path: 'flexAllocations' });
    expect(() => create({ flexAllocations: [{ year: 1, target: 'customProactive', amount: 50_000 }] })).not.toThrow();
  });

  it('FLEX-3: annual periods run start+(k-1)y to the day before start+k y, capped at the term end', () => {
    expect(flexYears({ start: '2027-03-15', end: '2029-01-31' })).toEqual([
      { year: 1, start: '2027-03-15', end: '2028-03-14' },
      { year: 2, start: '2028-03-15', end: '2029-01-31' },
    ]);
    expect(
      violation(() => create({ flexAllocations: [{ year: 3, target: 'proactiveCredits', amount: 1 }] })).rule,
    ).toBe('FLEX-3');
  });

  it('FLEX-4: Flex Allowance may not be spent on SDM services', () => {
    const v = violation(() =>
      create({ flexAllocations: [{ year: 1, target: 'service', serviceCode: 'SDM_ADDON', amount: 10 }] }),
    );
    expect(v).toMatchObject({ rule: 'FLEX-4', path: 'flexAllocations[0].serviceCode' });
  });

  it('FLEX-6: whatever is not allocated at signing is forfeited', () => {
    const wo = create({ flexAllocations: [{ year: 1, target: 'proactiveCredits', amount: 20_000 }] });
    expect(wo.flexPeriods[0]?.forfeited).toBe(130_000);
  });

  it('DEP-2: Azure Engineering Direct without Rapid Response is refused', () => {
    const v = violation(() => create({ entitlements: [{ serviceCode: 'AZURE_ENGINEERING_DIRECT' }] }));
    expect(v).toMatchObject({ rule: 'DEP-2', path: 'entitlements[0].serviceCode' });
    expect(() =>
      create({ entitlements: [{ serviceCode: 'RAPID_RESPONSE' }, { serviceCode: 'AZURE_ENGINEERING_DIRECT' }] }),
    ).not.toThrow();
  });

  it('DEP-1: a dependent service cannot be added once the agreement is no longer current', () => {
    const wo = create();
    expect(
      addEntitlement(wo, { serviceCode: 'REDE', hours: 50 }, '2027-06-01').workOrder.entitlements.some(
        (e) => e.serviceCode === 'REDE',
      ),
    ).toBe(true);
    const terminated = decideTermination(wo, '2027-06-30', 'merger', '2027-06-01').workOrder;
    expect(violation(() => addEntitlement(terminated, { serviceCode: 'EDE', hours: 10 }, '2027-07-01'))).toMatchObject({
      rule: 'EXP-1',
      status: 409,
    });
  });

  it('BUY-2: additional services can be added at any time during the term, not after it', () => {
    const wo = create();
    expect(
      findEntitlement(
        addEntitlement(wo, { serviceCode: 'EDE', hours: 100 }, '2028-12-31').workOrder.entitlements,
        'EDE',
      ).remaining,
    ).toBe(500);
    expect(violation(() => addEntitlement(wo, { serviceCode: 'WORKSHOP' }, '2029-01-01')).rule).toBe('EXP-1');
    expect(violation(() => addEntitlement(wo, { serviceCode: 'WEBCASTS' }, '2027-06-01')).rule).toBe('BUY-2');
    expect(
      violation(() => addEntitlement(wo, { serviceCode: 'DEVELOPER_SUPPORT', quantity: 11 }, '2027-06-01')).rule,
    ).toBe('DEVS-1');
  });

  it('MN-5: an exception country cannot be a Downstream location', () => {
    const v = violation(() => create({ downstream: [{ country: 'JP', timeZone: 'Asia/Tokyo' }] }));
    expect(v).toMatchObject({ rule: 'MN-5', path: 'downstream[0].country' });
  });

  it('MN-6 / BUY-5: Support Technology Advisor is not available in exception countries', () => {
    const v = violation(() =>
      create({
        host: { country: 'AU', timeZone: 'Australia/Sydney' },
        downstream: [],
        proactiveCredits: {},
        entitlements: [{ serviceCode: 'SUPPORT_TECHNOLOGY_ADVISOR', hours: 10 }],
      }),
    );
    expect(v.rule).toBe('MN-6');
  });

  it('CYB-2: cybersecurity days below the minimum length are refused', () => {
    expect(violation(() => create({ entitlements: [{ serviceCode: 'CYBER_INCIDENT_RESPONSE', days: 4 }] })).rule).toBe(
      'CYB-2',
    );
    expect(() => create({ entitlements: [{ serviceCode: 'CYBER_CRISIS_WORKSHOP', days: 3 }] })).not.toThrow();
  });

  it('DEVS-1: Developer Support is limited to a configured maximum quantity', () => {
    const services = {
      ...DEFAULT_CATALOGUE.services,
      DEVELOPER_SUPPORT: { ...DEFAULT_CATALOGUE.services.DEVELOPER_SUPPORT, maxQuantity: 2 },
    };
    const catalogue = { ...DEFAULT_CATALOGUE, services };
    expect(
      violation(() =>
        acceptWorkOrder(body({ entitlements: [{ serviceCode: 'DEVELOPER_SUPPORT', quantity: 3 }] }), {
          id: 'x',
          asOf: '2027-01-01',
          catalogue,
        }),
      ).rule,
    ).toBe('DEVS-1');
  });

  it('EXP-1: status expires after the term; unused balances expire', () => {
    const wo = create();
    expect(workOrderStatus(wo, '2028-12-31')).toBe('active');
    expect(workOrderStatus(wo, '2029-01-01')).toBe('expired');
    const expired = expireUnused(wo, '2029-01-01');
    expect(findEntitlement(expired.entitlements, 'EDE')).toMatchObject({
      remaining: 0,
      expired: 400,
      endedBy: 'EXP-1',
    });
    expect(violation(() => assertDeliveryWithinTerm(wo.term, '2028-12-30', 3)).rule).toBe('EXP-1');
  });

  it('EXP-1: an expired or terminated Work Order is no longer in force', () => {
    const wo = create();
    expect(() => assertInForce(wo, '2028-12-31')).not.toThrow();
    expect(violation(() => assertInForce(wo, '2029-01-01'))).toMatchObject({ rule: 'EXP-1', status: 409 });
    expect(() => assertInForce({ ...wo, terminatesOn: '2027-06-30' }, '2027-06-30')).not.toThrow();
    expect(violation(() => assertInForce({ ...wo, terminatesOn: '2027-06-30' }, '2027-07-01')).message).toContain(
      'terminated; its last day was 2027-06-30',
    );
  });

  it('MN-1 / MN-3: calendars per location; the Host calendar is the default', () => {
    const wo = create();
    expect(calendarForLocation(wo).timeZone).toBe('Europe/Amsterdam');
    expect(calendarForLocation(wo, 'DE').country).toBe('DE');
    expect(violation(() => calendarForLocation(wo, 'FR')).rule).toBe('MN-1');
    expect(coveragePlans(wo, '2027-03-01')).toEqual(['BASE', 'UER', 'RAPID_RESPONSE', 'AEM']);
  });
});

describe('credits', () => {
  it('CRED-1: rounds to the nearest whole credit, a half up', () => {
    expect(creditsForValue(12.5)).toBe(13);
    expect(creditsForValue(12.49)).toBe(12);
    expect(creditsForValue(0.5)).toBe(1);
    expect(creditsForValue('2.675')).toBe(3);
    expect(decideRedemption({ NL: 200 }, { country: 'NL', serviceCode: 'WORKSHOP', value: 12.5 })).toMatchObject({
      deducted: 13,
      balance: 187,
    });
  });

  it('CRED-2: a redemption below zero is refused', () => {
    expect(
      violation(() => decideRedemption({ NL: 12 }, { country: 'NL', serviceCode: 'WORKSHOP', value: 12.5 })).rule,
    ).toBe('CRED-2');
    expect(decideRedemption({ NL: 13 }, { country: 'NL', serviceCode: 'WORKSHOP', value: 12.5 }).balance).toBe(0);
  });

  it('MN-4: exchange rounds up exactly in decimal (50 × 1.1 = 55, 10 × 1.02 = 11, 10 × 1.07 = 11)', () => {
    expect(exchangedCredits(50, 1.1)).toBe(55);
    expect(exchangedCredits(10, 1.02)).toBe(11);
    expect(exchangedCredits(3, 0.1)).toBe(1);
    expect(exchangedCredits(100, 0.07)).toBe(7);
    const result = decideExchange(
      { NL: 200 },
      { host: 'NL', downstream: ['DE'] },
      { from: 'NL', to: 'DE', credits: 10, rate: 1.07 },
    );
    expect(result).toMatchObject({ debited: 10, credited: 11, balances: { NL: 190, DE: 11 } });
    expect(
      violation(() =>
        decideExchange({ NL: 200 }, { host: 'NL', downstream: ['DE'] }, { from: 'NL', to: 'FR', credits: 1, rate: 1 }),
      ).rule,
    ).toBe('MN-4');
  });

  it('MN-5: credits cannot be exchanged to or from an exception country', () => {
    expect(
      violation(() =>
        decideExchange({ NL: 200 }, { host: 'NL', downstream: ['JP'] }, { from: 'NL', to: 'JP', credits: 1, rate: 1 }),
      ).rule,
    ).toBe('MN-5');
  });

  it('MN-4: proactive credits on a new Work Order belong to its locations', () => {
    expect(violation(() => create({ proactiveCredits: { FR: 10 } })).rule).toBe('MN-4');
  });
});

describe('service requests', () => {
  const term = { start: '2027-01-01', end: '2027-12-31' };

  it('REQ-60: submitted 1 Nov for a term ending 31 Dec is accepted, 2 Nov refused', () => {
    expect(() => assertRequestWindow(term, '2027-11-01')).not.toThrow();
    expect(violation(() => assertRequestWindow(term, '2027-11-02')).rule).toBe('REQ-60');
    expect(lastRequestDate(term)).toBe('2027-11-01');
  });

  it('CANCEL-14: fee only for a scheduled request cancelled fewer than 14 host-zone days before start', () => {
    const zone = 'Europe/Amsterdam';
    const scheduled = { status: 'scheduled' as const, startDate: '2027-07-15', price: 9000 };
    expect(decideCancellation(scheduled, new Date('2027-07-01T21:59:00Z'), zone).maxCancellationFee).toBe(0); // 1 July 23:59 local
    expect(decideCancellation(scheduled, new Date('2027-07-01T22:00:00Z'), zone).maxCancellationFee).toBe(9000); // 2 July 00:00 local
    expect(
      decideCancellation({ ...scheduled, status: 'requested' }, new Date('2027-07-14T10:00:00Z'), zone)
        .maxCancellationFee,
    ).toBe(0);
  });

  it('CANCEL-14: a fee of a cancelled request can be waived; nothing else can', () => {
    expect(decideFeeWaiver({ status: 'cancelled', maxCancellationFee: 9000 }, 'goodwill')).toEqual({
      feeWaived: true,
      waiverReason: 'goodwill',
    });
    expect(violation(() => decideFeeWaiver({ status: 'cancelled', maxCancellationFee: 0 }, 'goodwill'))).toMatchObject({
      rule: 'CANCEL-14',
      status: 409,
    });
    expect(
      violation(() => decideFeeWaiver({ status: 'scheduled', maxCancellationFee: 9000 }, 'goodwill')),
    ).toMatchObject({
      rule: 'CANCEL-14',
      status: 409,
    });
  });

  it('SCHED-1: requested → scheduled → delivered; impossible transitions are conflicts', () => {
    expect(transitionServiceRequest('requested', 'schedule')).toBe('scheduled');
    expect(transitionServiceRequest('scheduled', 'deliver')).toBe('delivered');
    expect(violation(() => transitionServiceRequest('delivered', 'cancel'))).toMatchObject({
      rule: 'SCHED-1',
      status: 409,
    });
  });

  it('UER-4 / UER-5 / GHED-1: onboarding window and quarterly reviews', () => {
    expect(uerOnboardingDueBy(term.start)).toBe('2027-03-01');
    expect(termQuarters(term).map((q) => q.end)).toEqual(['2027-03-31', '2027-06-30', '2027-09-30', '2027-12-31']);
    expect(termQuarters({ start: '2027-01-31', end: '2027-06-15' })).toEqual([
      { start: '2027-01-31', end: '2027-04-29' },
      { start: '2027-04-30', end: '2027-06-15' },
    ]);
    const duties = dutiesFor('wo', term, ['UER', 'GITHUB_ENGINEERING_DIRECT']);
    expect(duties.filter((d) => d.rule === 'UER-4')).toEqual([
      expect.objectContaining({ dueOn: '2027-03-01', remindOn: '2027-02-14', state: 'open' }),
    ]);
    expect(duties.filter((d) => d.rule === 'GHED-1').map((d) => [d.remindOn, d.dueOn])[0]).toEqual([
      '2027-03-17',
      '2027-03-31',
    ]);
  });
});

describe('entitlements', () => {
  const ede = newBalance('EDE', 400, '2027-12-31');

  it('ENT-1: a booking needs enough remaining quantity; cancel gives it back; delivery consumes it', () => {
    const aem = newBalance('AEM', 3, '2027-12-31');
    const reserved = reserveEntitlement(aem, 2);
    expect(reserved.remaining).toBe(1);
    expect(violation(() => reserveEntitlement(reserved, 2)).rule).toBe('ENT-1');
    expect(releaseEntitlement(reserved, 1).remaining).toBe(2);
    expect(consumeReserved(reserved, 2)).toMatchObject({ reserved: 0, consumed: 2, remaining: 1 });
    expect(quantityForRequest('WORKSHOP', 2)).toBe(1);
    expect(quantityForRequest('CYBER_INCIDENT_RESPONSE', 5)).toBe(5);
    expect(violation(() => findEntitlement([aem], 'EDE')).rule).toBe('ENT-1');
  });

  it('EDE-1: EDE hours are deducted when used', () => {
    expect(drawDownHours(ede, 7.5)).toMatchObject({ consumed: 7.5, remaining: 392.5 });
    expect(violation(() => drawDownHours(ede, 401)).rule).toBe('ENT-1');
  });

  it('REDE-1: Reactive EDE hours are deducted when used', () => {
    expect(drawDownHours(newBalance('REDE', 10, '2027-12-31'), 10).remaining).toBe(0);
  });

  it('CYB-3: cybersecurity hours are deducted from purchased days of 8 hours', () => {
    const cyber = newBalance('CYBER_INCIDENT_RESPONSE', 10, '2027-12-31');
    const used = drawDownHours(cyber, 12);
    expect(used.remaining).toBe(8.5);
    expect(drawDownHours(newBalance('CYBER_INCIDENT_RESPONSE_1DAY', 1, '2027-12-31'), 32).remaining).toBe(0);
  });

  it('FLEX-5 / SWAP-1: a swap waits for the service delivery resource consent', () => {
    const balances = [ede, newBalance('DEV_SUPPORT_ASSISTANCE', 0, '2027-12-31')];
    const pending = requestSwap(balances, {
      from: 'EDE',
      to: 'DESIGNATED_ENGINEERING',
      hours: 40,
      fundedBy: 'flex',
      country: 'NL',
    });
    expect(pending).toMatchObject({ status: 'awaitingConsent', rule: 'FLEX-5' });
    expect(decideSwap(balances, pending, { approved: false, by: 'sdr' }).balances).toEqual(balances);
    const approved = decideSwap(balances, pending, { approved: true, by: 'sdr' });
    expect(findEntitlement(approved.balances, 'EDE').remaining).toBe(360);
    expect(findEntitlement(approved.balances, 'DESIGNATED_ENGINEERING').remaining).toBe(40);
    expect(
      requestSwap(balances, {
        from: 'EDE',
        to: 'DEV_SUPPORT_ASSISTANCE',
        hours: 8,
        fundedBy: 'purchase',
        country: 'NL',
      }).rule,
    ).toBe('SWAP-1');
    expect(
      violation(() =>
        requestSwap(balances, { from: 'EDE', to: 'SDM_ADDON', hours: 8, fundedBy: 'flex', country: 'NL' }),
      ).rule,
    ).toBe('FLEX-4');
    expect(
      violation(() =>
        requestSwap(balances, {
          from: 'EDE',
          to: 'SUPPORT_TECHNOLOGY_ADVISOR',
          hours: 8,
          fundedBy: 'purchase',
          country: 'JP',
        }),
      ).rule,
    ).toBe('SWAP-1');
    expect(
      violation(() =>
        requestSwap(balances, { from: 'EDE', to: 'CUSTOM_PROACTIVE', hours: 500, fundedBy: 'purchase', country: 'NL' }),
      ).rule,
    ).toBe('ENT-1');
  });
});

describe('termination', () => {
  it('DEP-1: EDE, REDE, Mission Critical and cybersecurity end on the termination date', () => {
    const wo = create({
      entitlements: [
        { serviceCode: 'UER' },
        { serviceCode: 'RAPID_RESPONSE' },
        { serviceCode: 'AZURE_ENGINEERING_DIRECT' },
        { serviceCode: 'EDE', hours: 400 },
        { serviceCode: 'CYBER_INCIDENT_RESPONSE', days: 5 },
        { serviceCode: 'SUPPORT_FOR_MISSION_CRITICAL' },
      ],
    });
    const { workOrder, cascade } = decideTermination(wo, '2027-06-30', 'merger', '2027-03-01');
    expect(workOrder).toMatchObject({ status: 'active', terminatesOn: '2027-06-30' });
    expect(cascade).toEqual([
      { serviceCode: 'AZURE_ENGINEERING_DIRECT', rule: 'DEP-2' },
      { serviceCode: 'EDE', rule: 'DEP-1' },
      { serviceCode: 'CYBER_INCIDENT_RESPONSE', rule: 'DEP-1' },
      { serviceCode: 'SUPPORT_FOR_MISSION_CRITICAL', rule: 'DEP-1' },
    ]);
    expect(workOrder.entitlements.every((e) => e.endsOn === '2027-06-30')).toBe(true);
    expect(findEntitlement(workOrder.entitlements, 'EDE').endedBy).toBe('DEP-1');
    expect(violation(() => decideTermination(workOrder, '2027-07-01', 'again', '2027-03-01')).status).toBe(409);
    expect(violation(() => decideTermination(wo, '2029-07-01', 'late', '2027-03-01')).rule).toBe('EXP-1');
  });

  it('DEP-2: Azure Engineering Direct ends when Rapid Response ends', () => {
    const wo = create({
      entitlements: [
        { serviceCode: 'RAPID_RESPONSE' },
        { serviceCode: 'AZURE_ENGINEERING_DIRECT' },
        { serviceCode: 'EDE', hours: 1 },
      ],
    });
    const { workOrder, cascade } = endEntitlement(wo, 'RAPID_RESPONSE', '2027-09-30', '2027-06-01');
    expect(cascade).toEqual([{ serviceCode: 'AZURE_ENGINEERING_DIRECT', rule: 'DEP-2' }]);
    expect(findEntitlement(workOrder.entitlements, 'AZURE_ENGINEERING_DIRECT').endsOn).toBe('2027-09-30');
    expect(findEntitlement(workOrder.entitlements, 'EDE').endsOn).toBe('2028-12-31');
    expect(dependentsEndingWith('RAPID_RESPONSE', ['EDE'])).toEqual([]);
  });
});

describe('service request acceptance', () => {
  it('REQ-60 / EXP-1 / ENT-1: a request is checked for window, term and remaining entitlement', async () => {
    const { acceptServiceRequest } = await import('../../domain/workOrder/requests');
    const wo = create({ entitlements: [{ serviceCode: 'CYBER_INCIDENT_RESPONSE', days: 5 }] });
    const ok = acceptServiceRequest(
      wo,
      { serviceCode: 'CYBER_INCIDENT_RESPONSE', startDate: '2027-05-10', days: 5, price: 0, fundedBy: 'entitlement' },
      new Date('2027-04-01T10:00:00Z'),
    );
    expect(ok.request).toMatchObject({ status: 'requested', quantity: 5 });
    expect(findEntitlement(ok.entitlements, 'CYBER_INCIDENT_RESPONSE').remaining).toBe(0);
    expect(
      violation(() =>
        acceptServiceRequest(
          { ...wo, entitlements: ok.entitlements },
          {
            serviceCode: 'CYBER_INCIDENT_RESPONSE',
            startDate: '2027-06-10',
            days: 5,
            price: 0,
            fundedBy: 'entitlement',
          },
          new Date('2027-04-01T10:00:00Z'),
        ),
      ).rule,
    ).toBe('ENT-1');
    // 2028-11-01 23:30 UTC is 2 Nov in Amsterdam: refused
    expect(
      violation(() =>
        acceptServiceRequest(
          wo,
          { serviceCode: 'WORKSHOP', startDate: '2028-12-01', days: 1, price: 9000, fundedBy: 'credits' },
          new Date('2028-11-01T23:30:00Z'),
        ),
      ).rule,
    ).toBe('REQ-60');
    expect(() =>
      acceptServiceRequest(
        wo,
        { serviceCode: 'WORKSHOP', startDate: '2028-12-01', days: 1, price: 9000, fundedBy: 'credits' },
        new Date('2028-11-01T22:30:00Z'),
      ),
    ).not.toThrow();
    expect(
      violation(() =>
        acceptServiceRequest(
          wo,
          { serviceCode: 'WORKSHOP', startDate: '2026-12-20', days: 1, price: 9000, fundedBy: 'credits' },
          new Date('2026-12-16T10:00:00Z'),
        ),
      ).rule,
    ).toBe('EXP-1');
  });
});
