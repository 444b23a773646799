// Edges of the flex (FLEX-1..FLEX-4, FLEX-3 lapse), entitlement (ENT-1, EDE-1, CYB-3, DEVS-1, SWAP-1, FLEX-5) and
// credit (CRED-1, CRED-2, MN-4, MN-5) rules that mutation testing found unproven: boundaries from both sides and the
// refusal's rule, field and message.
import { describe, expect, it } from 'vitest';
import { refusal } from '../support/refusal';
import { DEFAULT_CATALOGUE } from '../../domain/catalogue/serviceCatalogue';
import { creditsForValue, decideExchange, decideRedemption, exchangedCredits } from '../../domain/workOrder/credits';
import {
  assertSufficient,
  assertWholeBlocks,
  assertWithinMaximum,
  consume,
  consumeReserved,
  decideSwap,
  drawDownHours,
  findEntitlement,
  newBalance,
  pendingSwap,
  quantityForRequest,
  release,
  requestSwap,
  reserve,
  type SwapRecord,
} from '../../domain/workOrder/entitlements';
import { parseDecimal, roundHalfUp, roundUp } from '../../domain/workOrder/exactDecimal';
import {
  assertFlexFunding,
  closeFlexYear,
  flexPeriods,
  flexYearOn,
  flexYears,
  validateFlexAllocations,
} from '../../domain/workOrder/flex';
import type { FlexAllocation } from '../../domain/workOrder/workOrderSchema';

describe('FLEX rules', () => {
  const term = { start: '2027-01-01', end: '2028-06-30' };

  it('FLEX-3: a term ending on a year boundary has whole years; a term ending a day into a year has a one-day year', () => {
    expect(flexYears({ start: '2027-01-01', end: '2028-12-31' }).map((y) => y.end)).toEqual([
      '2027-12-31',
      '2028-12-31',
    ]);
    expect(flexYears({ start: '2027-01-01', end: '2028-01-01' })).toEqual([
      { year: 1, start: '2027-01-01', end: '2027-12-31' },
      { year: 2, start: '2028-01-01', end: '2028-01-01' },
    ]);
    expect(flexYearOn(term, '2026-12-31')).toBeNull();
    expect(flexYearOn(term, '2027-01-01')).toBe(1);
    expect(flexYearOn(term, '2028-06-30')).toBe(2);
    expect(flexYearOn(term, '2028-07-01')).toBeNull();
  });

  it('FLEX-3, FLEX-6: each period has its allocation and forfeiture; a cut-short last year is still a flex year', () => {
    const periods = flexPeriods(term, 100, [
      { year: 1, target: 'proactiveCredits', amount: 60 },
      { year: 1, target: 'service', serviceCode: 'WORKSHOP', amount: 40 },
      { year: 2, target: 'proactiveCredits', amount: 10 },
    ]);
    expect(
      periods.map(({ year, start, end, allocated, forfeited }) => ({ year, start, end, allocated, forfeited })),
    ).toEqual([
      { year: 1, start: '2027-01-01', end: '2027-12-31', allocated: 100, forfeited: 0 },
      { year: 2, start: '2028-01-01', end: '2028-06-30', allocated: 10, forfeited: 90 },
    ]);
  });

  it('FLEX-1..4: each refusal names the allocation it is about', () => {
    const check = (allocations: FlexAllocation[], allowance = 200_000) =>
      refusal(() => validateFlexAllocations(term, allowance, allocations));
    expect(check([{ year: 3, target: 'proactiveCredits', amount: 1 }])).toEqual({
      rule: 'FLEX-3',
      path: 'flexAllocations[0].year',
      status: 422,
      message: 'The term has 2 flex year(s); year 3 does not exist.',
    });
    expect(
      check([
        { year: 1, target: 'proactiveCredits', amount: 1 },
        { year: 1, target: 'service', serviceCode: 'SDM_ADDON', amount: 1 },
      ]),
    ).toEqual({
      rule: 'FLEX-4',
      path: 'flexAllocations[1].serviceCode',
      status: 422,
      message: 'Flex Allowance may not be spent on Service Delivery Management services.',
    });
    expect(check([{ year: 1, target: 'service', serviceCode: 'ADVISORY_SUPPORT', amount: 1 }])).toEqual({
      rule: 'FLEX-1',
      path: 'flexAllocations[0].serviceCode',
      status: 422,
      message: 'Flex Allowance can only buy proactive or enhanced services, credits or custom proactive services.',
    });
    expect(check([{ year: 2, target: 'service', serviceCode: 'WORKSHOP', amount: 200_001 }])).toEqual({
      rule: 'FLEX-1',
      path: 'flexAllocations',
      status: 422,
      message: 'Year 2 allocates 200001, more than the Flex Allowance of 200000.',
    });
    expect(check([{ year: 1, target: 'proactiveCredits', amount: 50_001 }])).toEqual({
      rule: 'FLEX-2',
      path: 'flexAllocations',
      status: 422,
      message: 'Year 1 puts 50001 into Proactive Credits and Custom Proactive Services; at most 50000 is allowed.',
    });
    expect(() =>
      validateFlexAllocations(term, 200_000, [
        { year: 2, target: 'service', serviceCode: 'WORKSHOP', amount: 200_000 },
      ]),
    ).not.toThrow();
  });

  it('FLEX-3: the refusal of a delivery outside its year says which year, or that there is none', () => {
    const allocations: FlexAllocation[] = [{ year: 1, target: 'service', serviceCode: 'WORKSHOP', amount: 1 }];
    expect(
      refusal(() =>
        assertFlexFunding(term, allocations, { serviceCode: 'WORKSHOP', startDate: '2027-12-31', days: 2 }),
      ),
    ).toEqual({
      rule: 'FLEX-3',
      path: 'startDate',
      status: 422,
      message:
        'A flex-funded service is used within its flex year (2027-01-01 to 2027-12-31); this one runs to 2028-01-01.',
    });
    expect(
      refusal(() => assertFlexFunding(term, allocations, { serviceCode: 'WORKSHOP', startDate: '2029-01-01', days: 1 }))
        .message,
    ).toBe('A flex-funded service is used within its flex year; this one runs to 2029-01-01.');
    expect(
      refusal(() => assertFlexFunding(term, allocations, { serviceCode: 'WORKSHOP', startDate: '2028-01-02', days: 1 }))
        .message,
    ).toBe('Flex year 2 allocated nothing to WORKSHOP.');
    // A service allocated only in another year, or a custom proactive allocation for another service, does not fund it.
    expect(
      refusal(() =>
        assertFlexFunding(term, [{ year: 1, target: 'customProactive', amount: 1 }], {
          serviceCode: 'WORKSHOP',
          startDate: '2027-02-01',
          days: 1,
        }),
      ).rule,
    ).toBe('FLEX-3');
  });

  it('FLEX-3: closing a year lapses what its flex-funded, not cancelled requests starting within it did not use; once', () => {
    const periods = flexPeriods(term, 1000, [
      { year: 1, target: 'service', serviceCode: 'WORKSHOP', amount: 600 },
      { year: 2, target: 'service', serviceCode: 'WORKSHOP', amount: 100 },
    ]);
    const request = (startDate: string, price: number, fundedBy = 'flex', status = 'delivered') => ({
      fundedBy,
      status,
      startDate,
      price,
    });
    const closing = closeFlexYear(periods, 1, [
      request('2027-01-01', 100),
      request('2027-12-31', 50),
      request('2027-06-01', 70, 'flex', 'requested'),
      request('2027-06-01', 1000, 'credits'),
      request('2027-06-01', 1000, 'flex', 'cancelled'),
      request('2026-12-31', 1000),
      request('2028-01-01', 1000),
    ]);
    expect(closing?.closed).toMatchObject({ year: 1, used: 220, lapsed: 380 });
    expect(closing?.periods[0]).toBe(closing?.closed);
    expect(closing?.periods[1]).toBe(periods[1]);
    expect(closeFlexYear(closing!.periods, 1, [])).toBeNull();
    expect(closeFlexYear(periods, 3, [])).toBeNull();
    // More used than allocated lapses nothing.
    expect(closeFlexYear(periods, 2, [request('2028-02-01', 150)])?.closed).toMatchObject({ used: 150, lapsed: 0 });
  });
});

describe('ENT-1 balances', () => {
  const balance = newBalance('WORKSHOP', 3, '2027-12-31');

  it('ENT-1: reserve, release and consume keep purchased = reserved + consumed + remaining; nothing to do changes nothing', () => {
    const reserved = reserve([balance], 'WORKSHOP', 2);
    expect(reserved[0]).toMatchObject({ reserved: 2, consumed: 0, remaining: 1 });
    expect(release(reserved, 'WORKSHOP', 1)[0]).toMatchObject({ reserved: 1, remaining: 2 });
    expect(release(reserved, 'WORKSHOP', 0)).toEqual(reserved);
    expect(release(reserved, 'WORKSHOP', -1)).toEqual(reserved);
    expect(release(reserved, 'WORKSHOP', 5)[0]).toMatchObject({ reserved: 0, remaining: 3 });
    expect(consume(reserved, 'WORKSHOP', 2)[0]).toMatchObject({ reserved: 0, consumed: 2, remaining: 1 });
    expect(consume(reserved, 'WORKSHOP', 0)).toEqual(reserved);
    expect(consume(reserved, 'WORKSHOP', -1)).toEqual(reserved);
    expect(consumeReserved(reserved[0]!, 3)).toMatchObject({ reserved: 0, consumed: 3, remaining: 0 });
    // Nothing to release or consume needs no entitlement at all.
    expect(release([], 'AEM', 0)).toEqual([]);
    expect(consume([], 'AEM', 0)).toEqual([]);
    expect(refusal(() => release([], 'AEM', 1)).rule).toBe('ENT-1');
  });

  it('ENT-1: refusals name the service, the field and what remains', () => {
    expect(refusal(() => findEntitlement([balance], 'AEM'))).toEqual({
      rule: 'ENT-1',
      path: 'serviceCode',
      status: 422,
      message: 'This Work Order has no AEM entitlement.',
    });
    expect(refusal(() => assertSufficient(balance, 4))).toEqual({
      rule: 'ENT-1',
      path: 'serviceCode',
      status: 422,
      message: 'Only 3 instances of WORKSHOP remain; 4 needed.',
    });
    expect(() => assertSufficient(balance, 3)).not.toThrow();
  });

  it("EDE-1, CYB-3: hours are drawn down in the service's unit; ENT-1 refuses non-positive hours and other units", () => {
    expect(drawDownHours(newBalance('EDE', 10, '2027-12-31'), 10)).toMatchObject({ consumed: 10, remaining: 0 });
    expect(drawDownHours(newBalance('CYBER_INCIDENT_RESPONSE', 5, '2027-12-31'), 4)).toMatchObject({ consumed: 0.5 });
    expect(drawDownHours(newBalance('CYBER_INCIDENT_RESPONSE_1DAY', 1, '2027-12-31'), 16)).toMatchObject({
      consumed: 0.5,
    });
    expect(drawDownHours(newBalance('SDM_ONSITE', 1, '2027-12-31'), 4)).toMatchObject({ consumed: 0.5 }); // 8-hour days
    const zero = { rule: 'ENT-1', path: 'hours', status: 422, message: 'Hours used must be positive.' };
    expect(refusal(() => drawDownHours(newBalance('EDE', 10, '2027-12-31'), 0))).toEqual(zero);
    expect(refusal(() => drawDownHours(newBalance('EDE', 10, '2027-12-31'), Number.NaN))).toEqual(zero);
    expect(refusal(() => drawDownHours(balance, 1))).toEqual({
      rule: 'ENT-1',
      path: 'serviceCode',
      status: 422,
      message: 'WORKSHOP is not sold in hours.',
    });
    expect(refusal(() => drawDownHours(newBalance('EDE', 10, '2027-12-31'), 11)).path).toBe('hours');
  });

  it('ENT-1: a request takes its days, 8 hours a day, or one instance', () => {
    expect(quantityForRequest('CYBER_INCIDENT_RESPONSE', 5)).toBe(5);
    expect(quantityForRequest('DESIGNATED_ENGINEERING', 2)).toBe(16);
    expect(quantityForRequest('WORKSHOP', 3)).toBe(1);
  });

  it('CYB-3: minimum days plus whole blocks of 5, with the nearest valid sizes named; DEVS-1: a maximum quantity', () => {
    expect(() => assertWholeBlocks('CYBER_INCIDENT_RESPONSE', 10, 5, 'days')).not.toThrow();
    expect(refusal(() => assertWholeBlocks('CYBER_INCIDENT_RESPONSE', 12, 5, 'days'))).toEqual({
      rule: 'CYB-3',
      path: 'days',
      status: 422,
      message: 'CYBER_INCIDENT_RESPONSE is bought as 5 day(s) plus whole blocks of 5 days (e.g. 10 or 15); 12 is not.',
    });
    expect(refusal(() => assertWholeBlocks('CYBER_CRISIS_WORKSHOP', 4, 3, 'days')).message).toContain(
      '(e.g. 3 or 8); 4',
    );
    expect(() => assertWithinMaximum('DEVELOPER_SUPPORT', 10, 'q')).not.toThrow();
    expect(refusal(() => assertWithinMaximum('DEVELOPER_SUPPORT', 11, 'q'))).toEqual({
      rule: 'DEVS-1',
      path: 'q',
      status: 422,
      message: 'DEVELOPER_SUPPORT can be bought up to 10.',
    });
    expect(() => assertWithinMaximum('WORKSHOP', 1000, 'q')).not.toThrow();
    const unlimited = {
      ...DEFAULT_CATALOGUE,
      services: {
        ...DEFAULT_CATALOGUE.services,
        DEVELOPER_SUPPORT: { ...DEFAULT_CATALOGUE.services.DEVELOPER_SUPPORT, maxQuantity: null },
      },
    };
    expect(() => assertWithinMaximum('DEVELOPER_SUPPORT', 11, 'q', unlimited)).not.toThrow();
  });
});

describe('SWAP-1 / FLEX-5 refusals', () => {
  const balances = [newBalance('EDE', 40, '2027-12-31'), newBalance('SDM_ONSITE', 2, '2027-12-31')];
  const swap = (over: Record<string, unknown>) =>
    requestSwap(balances, {
      from: 'EDE',
      to: 'DESIGNATED_ENGINEERING',
      hours: 8,
      fundedBy: 'purchase',
      country: 'NL',
      ...over,
    } as never);

  it('FLEX-4: flex-funded hours never become SDM; purchased hours may', () => {
    expect(refusal(() => swap({ fundedBy: 'flex', to: 'SDM_ONSITE' }))).toEqual({
      rule: 'FLEX-4',
      path: 'to',
      status: 422,
      message: 'Flex Allowance may not be spent on Service Delivery Management services.',
    });
    expect(swap({ to: 'SDM_ONSITE' })).toMatchObject({ rule: 'SWAP-1', to: 'SDM_ONSITE' });
    expect(swap({ fundedBy: 'flex' })).toMatchObject({ rule: 'FLEX-5' });
  });

  it('SWAP-1: only to a service available in the country, only what remains, in units of each service', () => {
    expect(refusal(() => swap({ to: 'SUPPORT_TECHNOLOGY_ADVISOR', country: 'JP' }))).toEqual({
      rule: 'SWAP-1',
      path: 'to',
      status: 422,
      message: 'SUPPORT_TECHNOLOGY_ADVISOR is not available in JP.',
    });
    expect(refusal(() => swap({ to: 'WORKSHOP' })).message).toBe(
      'Only services measured in hours or days can be swapped hour for hour.',
    );
    expect(refusal(() => swap({ hours: 41 }))).toMatchObject({ rule: 'ENT-1', path: 'hours' });
    expect(refusal(() => swap({ from: 'REDE' }))).toMatchObject({ rule: 'ENT-1', path: 'from' });
    // 16 SDM_ONSITE hours are 2 days (8 hours each): into EDE as 16 hours.
    const pending = requestSwap(balances, {
      from: 'SDM_ONSITE',
      to: 'EDE',
      hours: 16,
      fundedBy: 'purchase',
      country: 'NL',
    });
    const approved = decideSwap(balances, pending, { approved: true, by: 'sdr' });
    expect(findEntitlement(approved.balances, 'SDM_ONSITE')).toMatchObject({ purchased: 0, remaining: 0 });
    expect(findEntitlement(approved.balances, 'EDE')).toMatchObject({ purchased: 56, remaining: 56 });
    // Into a service sold in 8-hour days: 16 hours are 2 days.
    const toDays = decideSwap(
      balances,
      requestSwap(balances, { from: 'EDE', to: 'SDM_ONSITE', hours: 16, fundedBy: 'purchase', country: 'NL' }),
      { approved: true, by: 'sdr' },
    );
    expect(findEntitlement(toDays.balances, 'SDM_ONSITE')).toMatchObject({ purchased: 4, remaining: 4 });
    expect(findEntitlement(toDays.balances, 'EDE')).toMatchObject({ purchased: 24 });
    expect(
      refusal(() => decideSwap([balances[1]!], { ...pending, from: 'EDE' }, { approved: true, by: 'sdr' })),
    ).toMatchObject({
      rule: 'ENT-1',
      path: 'from',
    });
    const record = {
      ...pending,
      id: 's',
      workOrderId: 'w',
      status: 'declined',
      requestedAt: 'x',
      decision: null,
    } as SwapRecord;
    expect(refusal(() => pendingSwap(record)).message).toBe('This swap was already declined.');
  });
});

describe('CRED-1, MN-4 exact decimals', () => {
  it('CRED-1: half rounds up, below half down; MN-4: any fraction rounds up; exact decimal text', () => {
    expect([creditsForValue(12.5), creditsForValue(12.49), creditsForValue('0.5'), creditsForValue(12)]).toEqual([
      13, 12, 1, 12,
    ]);
    expect([exchangedCredits(50, 1.1), exchangedCredits(10, '1.02'), exchangedCredits(3, 2)]).toEqual([55, 11, 6]);
    expect(parseDecimal('  -1.50 ')).toEqual({ coefficient: -150n, scale: 2 });
    expect(parseDecimal('1.5e2')).toEqual({ coefficient: 150n, scale: 0 });
    expect(parseDecimal('15e-1')).toEqual({ coefficient: 15n, scale: 1 });
    expect(parseDecimal(1e21)).toEqual({ coefficient: 10n ** 21n, scale: 0 });
    expect(parseDecimal('7')).toEqual({ coefficient: 7n, scale: 0 });
    expect(() => parseDecimal('abc')).toThrow('not a decimal number: abc');
    expect(() => parseDecimal(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => roundUp(parseDecimal('-1'))).toThrow('negative amounts are not rounded here');
    expect(roundHalfUp(parseDecimal('0'))).toBe(0);
    expect(roundUp(parseDecimal('10.2'))).toBe(11);
  });

  it('CRED-2, MN-4, MN-5: refusal messages name the balance, the location and the country', () => {
    expect(
      refusal(() => decideRedemption({ NL: 3 }, { country: 'NL', serviceCode: 'WORKSHOP', value: 4 })).message,
    ).toBe('Redeeming 4 credits would take the NL balance (3) below zero.');
    const locations = { host: 'NL', downstream: ['DE'] };
    expect(
      refusal(() => decideExchange({ NL: 3 }, locations, { from: 'NL', to: 'DE', credits: 4, rate: 1 })).message,
    ).toBe('The NL balance (3) is too small to exchange 4 credits.');
    expect(
      refusal(() => decideExchange({ NL: 3 }, locations, { from: 'NL', to: 'FR', credits: 1, rate: 1 })).message,
    ).toBe('FR is not a support location on this Work Order.');
    expect(
      refusal(() => decideExchange({ NL: 3 }, locations, { from: 'NL', to: 'JP', credits: 1, rate: 1 })).message,
    ).toBe('Credits cannot be exchanged to or from JP (an exception country).');
    expect(
      refusal(() => decideExchange({ NL: 3 }, locations, { from: 'NL', to: 'NL', credits: 1, rate: 1 })).message,
    ).toBe('Credits can only be exchanged between two different locations.');
  });
});
