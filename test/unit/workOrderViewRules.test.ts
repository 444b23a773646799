// Edges of accepting a Work Order and adding services during its term (MN-4, MN-5, MN-6, BUY-2, BUY-3, BUY-5, DEP-2,
// CYB-2, DEVS-1, EXP-1, FLEX-2, SDM-REQ, UER-4) and of expiry, coverage plans and location calendars: what mutation
// testing found unproven.
import { describe, expect, it } from 'vitest';
import { refusal } from '../support/refusal';
import { findEntitlement } from '../../domain/workOrder/entitlements';
import {
  acceptWorkOrder,
  addEntitlement,
  assertInForce,
  calendarForLocation,
  coveragePlans,
  expireUnused,
} from '../../domain/workOrder/workOrderView';
import { workOrderBody } from '../support/workOrderFixtures';

const accept = (over: Record<string, unknown> = {}, asOf = '2027-03-01') =>
  acceptWorkOrder(workOrderBody({ flexAllocations: [], ...over }), { id: 'wo-1', asOf });

describe('accepting a Work Order', () => {
  it('MN-5, MN-4: an exception country cannot be Downstream; credits only for its own locations', () => {
    expect(
      refusal(() =>
        accept({
          downstream: [
            { country: 'DE', timeZone: 'Europe/Berlin' },
            { country: 'CN', timeZone: 'Asia/Shanghai' },
          ],
        }),
      ),
    ).toEqual({
      rule: 'MN-5',
      path: 'downstream[1].country',
      status: 422,
      message: 'CN is an exception country and needs its own Work Order; it cannot be a Downstream location.',
    });
    expect(refusal(() => accept({ proactiveCredits: { NL: 1, DE: 2 } }))).toEqual({
      rule: 'MN-4',
      path: 'proactiveCredits.DE',
      status: 422,
      message: 'DE is not a support location on this Work Order.',
    });
    const wo = accept({
      downstream: [{ country: 'DE', timeZone: 'Europe/Berlin' }],
      proactiveCredits: { NL: 1, DE: 2 },
    });
    expect(wo.creditBalances).toEqual({ NL: 1, DE: 2 });
    expect(wo).toMatchObject({ status: 'active', terminatesOn: null });
    expect(refusal(() => accept({ calendar: { locations: { FR: { closed: ['2027-05-01'] } } } })).rule).toBe('MN-1');
  });

  it('BUY-5, MN-6, DEP-2, CYB-2: each entitlement is checked where it is bought, with its index', () => {
    const jp = { host: { country: 'JP', timeZone: 'Asia/Tokyo' }, proactiveCredits: {} };
    expect(
      refusal(() =>
        accept({
          ...jp,
          entitlements: [
            { serviceCode: 'EDE', hours: 1 },
            { serviceCode: 'SUPPORT_TECHNOLOGY_ADVISOR', hours: 1 },
          ],
        }),
      ),
    ).toEqual({
      rule: 'MN-6',
      path: 'entitlements[1].serviceCode',
      status: 422,
      message: 'SUPPORT_TECHNOLOGY_ADVISOR is not available in JP.',
    });
    expect(
      refusal(() => accept({ entitlements: [{ serviceCode: 'AZURE_ENGINEERING_DIRECT', quantity: 1 }] })),
    ).toMatchObject({
      rule: 'DEP-2',
      path: 'entitlements[0].serviceCode',
    });
    expect(
      accept({
        entitlements: [{ serviceCode: 'RAPID_RESPONSE' }, { serviceCode: 'AZURE_ENGINEERING_DIRECT', quantity: 1 }],
      }).entitlements,
    ).toHaveLength(2);
    expect(refusal(() => accept({ entitlements: [{ serviceCode: 'CYBER_INCIDENT_RESPONSE', days: 4 }] }))).toEqual({
      rule: 'CYB-2',
      path: 'entitlements[0].days',
      status: 422,
      message: 'CYBER_INCIDENT_RESPONSE is bought for at least 5 days.',
    });
    expect(
      accept({ entitlements: [{ serviceCode: 'CYBER_INCIDENT_RESPONSE', days: 5 }] }).entitlements[0]?.purchased,
    ).toBe(5);
    expect(refusal(() => accept({ entitlements: [{ serviceCode: 'DEVELOPER_SUPPORT', quantity: 11 }] })).rule).toBe(
      'DEVS-1',
    );
  });

  it('FLEX-2: a Work Order in another currency converts the USD floor with its usdRate; USD ignores a rate', () => {
    const allocations = (amount: number) => [{ year: 1, target: 'proactiveCredits', amount }];
    // 20 % of 100,000 is 20,000 < the floor 50,000 USD = 100,000 in a currency of 2 per USD (capped at the allowance).
    const eur = { currency: 'EUR', usdRate: 0.5, basePackage: { listPrice: 1_000_000, flexAllowancePerYear: 100_000 } };
    expect(() => accept({ ...eur, flexAllocations: allocations(25_000) })).not.toThrow();
    expect(refusal(() => accept({ ...eur, flexAllocations: allocations(25_001) })).rule).toBe('FLEX-2');
    const usd = { currency: 'USD', usdRate: 0.5, basePackage: { listPrice: 1_000_000, flexAllowancePerYear: 100_000 } };
    expect(() => accept({ ...usd, flexAllocations: allocations(50_000) })).not.toThrow();
    expect(accept({ ...eur }).flexPeriods[0]?.creditsCap).toBe(25_000);
  });

  it('EXP-1: an expired or terminated Work Order says which (409)', () => {
    const wo = accept();
    expect(() => assertInForce(wo, '2028-12-31')).not.toThrow();
    expect(refusal(() => assertInForce(wo, '2029-01-01'))).toEqual({
      rule: 'EXP-1',
      path: '',
      status: 409,
      message: 'This Work Order expired on 2028-12-31; its services can no longer be used.',
    });
    expect(refusal(() => assertInForce({ ...wo, terminatesOn: '2027-06-30' }, '2027-07-01')).message).toBe(
      'This Work Order was terminated; its last day was 2027-06-30; its services can no longer be used.',
    );
  });
});

describe('adding a service during the term', () => {
  const wo = accept({
    entitlements: [
      { serviceCode: 'DEVELOPER_SUPPORT', quantity: 4 },
      { serviceCode: 'EDE', hours: 10 },
    ],
  });

  it('BUY-2, BUY-3: an additional service is BUY-2, an enhanced or cybersecurity one BUY-3; a Base one is refused', () => {
    expect(addEntitlement(wo, { serviceCode: 'WORKSHOP', quantity: 1 }, '2027-03-01').rule).toBe('BUY-2');
    expect(addEntitlement(wo, { serviceCode: 'REDE', hours: 1 }, '2027-03-01').rule).toBe('BUY-3');
    expect(addEntitlement(wo, { serviceCode: 'CYBER_INCIDENT_RESPONSE', days: 5 }, '2027-03-01').rule).toBe('BUY-3');
    expect(refusal(() => addEntitlement(wo, { serviceCode: 'ON_DEMAND_ASSESSMENT' }, '2027-03-01'))).toEqual({
      rule: 'BUY-2',
      path: 'serviceCode',
      status: 422,
      message: 'ON_DEMAND_ASSESSMENT is included in the Base package; it cannot be added.',
    });
    expect(refusal(() => addEntitlement(wo, { serviceCode: 'WORKSHOP', hours: 2 }, '2027-03-01'))).toEqual({
      rule: 'BUY-2',
      path: 'serviceCode',
      status: 422,
      message: 'WORKSHOP is bought in instances: give "quantity" only',
    });
    expect(refusal(() => addEntitlement(wo, { serviceCode: 'REDE' }, '2027-03-01')).message).toBe(
      'REDE is bought in hours: "hours" is required',
    );
  });

  it("EXP-1: only from the term start to its last day (a termination's last day included), while active", () => {
    const add = (view: typeof wo, on: string) => addEntitlement(view, { serviceCode: 'WORKSHOP', quantity: 1 }, on);
    const outside = {
      rule: 'EXP-1',
      path: '',
      status: 409,
      message: 'Services can only be added during the Work Order term.',
    };
    expect(refusal(() => add(wo, '2026-12-31'))).toEqual(outside);
    expect(add(wo, '2027-01-01').amount).toBe(1);
    expect(add(wo, '2028-12-31').amount).toBe(1);
    expect(refusal(() => add(wo, '2029-01-01'))).toEqual(outside);
    const terminated = { ...wo, terminatesOn: '2027-06-30' };
    expect(add(terminated, '2027-06-30').workOrder.entitlements.at(-1)?.endsOn).toBe('2027-06-30');
    expect(refusal(() => add(terminated, '2027-07-01'))).toEqual(outside);
  });

  it('DEVS-1: the maximum counts what is held; an add-on held again is topped up, one that ended is refused', () => {
    const more = addEntitlement(wo, { serviceCode: 'DEVELOPER_SUPPORT', quantity: 6 }, '2027-03-01');
    expect(findEntitlement(more.workOrder.entitlements, 'DEVELOPER_SUPPORT')).toMatchObject({
      purchased: 10,
      remaining: 10,
    });
    expect(more.workOrder.entitlements).toHaveLength(2);
    expect(findEntitlement(more.workOrder.entitlements, 'EDE')).toEqual(findEntitlement(wo.entitlements, 'EDE'));
    expect(
      refusal(() => addEntitlement(wo, { serviceCode: 'DEVELOPER_SUPPORT', quantity: 7 }, '2027-03-01')).rule,
    ).toBe('DEVS-1');
    const ended = { ...wo, entitlements: wo.entitlements.map((b) => ({ ...b, endsOn: '2027-02-28' })) };
    expect(
      refusal(() => addEntitlement(ended, { serviceCode: 'DEVELOPER_SUPPORT', quantity: 1 }, '2027-03-01')),
    ).toEqual({
      rule: 'EXP-1',
      path: 'serviceCode',
      status: 409,
      message: 'DEVELOPER_SUPPORT ended on 2027-02-28; it cannot be bought again.',
    });
    // An add-on whose last day is today is still held (and is topped up).
    const endsToday = { ...wo, entitlements: wo.entitlements.map((b) => ({ ...b, endsOn: '2027-03-01' })) };
    expect(
      findEntitlement(
        addEntitlement(endsToday, { serviceCode: 'EDE', hours: 5 }, '2027-03-01').workOrder.entitlements,
        'EDE',
      ).purchased,
    ).toBe(15);
  });

  it('DEP-2: Rapid Response must still be held on the day Azure Engineering Direct is added', () => {
    const withRr = accept({ entitlements: [{ serviceCode: 'RAPID_RESPONSE' }] });
    expect(addEntitlement(withRr, { serviceCode: 'AZURE_ENGINEERING_DIRECT', quantity: 1 }, '2027-03-01').amount).toBe(
      1,
    );
    const rrEnded = { ...withRr, entitlements: withRr.entitlements.map((b) => ({ ...b, endsOn: '2027-02-28' })) };
    expect(
      refusal(() => addEntitlement(rrEnded, { serviceCode: 'AZURE_ENGINEERING_DIRECT', quantity: 1 }, '2027-03-01'))
        .rule,
    ).toBe('DEP-2');
  });

  it('SDM-REQ: an add-on warns that SDM hours may be needed unless SDM_ADDON is held; UER-4: duties not yet known are added', () => {
    expect(
      addEntitlement(wo, { serviceCode: 'WORKSHOP', quantity: 1 }, '2027-03-01').warnings.map((w) => w.rule),
    ).toEqual(['SDM-REQ']);
    const withSdm = accept({ entitlements: [{ serviceCode: 'SDM_ADDON', hours: 10 }] });
    expect(addEntitlement(withSdm, { serviceCode: 'WORKSHOP', quantity: 1 }, '2027-03-01').warnings).toEqual([]);
    const uer = addEntitlement(wo, { serviceCode: 'UER' }, '2027-03-01');
    expect(uer.duties.map((d) => d.kind)).toContain('onboarding');
    expect(uer.workOrder.duties).toEqual([...(wo.duties ?? []), ...uer.duties]);
    const again = addEntitlement(uer.workOrder, { serviceCode: 'UER' }, '2027-03-01');
    expect(again.duties).toEqual([]);
    expect(again.workOrder.duties).toEqual(uer.workOrder.duties);
    const noDuties = { ...wo, duties: undefined };
    expect(addEntitlement(noDuties, { serviceCode: 'UER' }, '2027-03-01').workOrder.duties).toEqual(uer.duties);
  });
});

describe('expiry, coverage and location calendars', () => {
  const wo = accept({
    entitlements: [{ serviceCode: 'UER' }, { serviceCode: 'EDE', hours: 10 }, { serviceCode: 'AEM', quantity: 2 }],
  });

  it('EXP-1: after its last day whatever remains of a service expires; not on its last day, not when nothing remains', () => {
    const used = {
      ...wo,
      entitlements: wo.entitlements.map((b) => (b.serviceCode === 'AEM' ? { ...b, consumed: 2, remaining: 0 } : b)),
    };
    expect(expireUnused(used, '2028-12-31').entitlements.map((b) => b.expired ?? null)).toEqual([null, null, null]);
    const expired = expireUnused(used, '2029-01-01');
    expect(expired.entitlements.map((b) => [b.serviceCode, b.expired ?? null, b.remaining, b.endedBy ?? null])).toEqual(
      [
        ['UER', 1, 0, 'EXP-1'],
        ['EDE', 10, 0, 'EXP-1'],
        ['AEM', null, 0, null],
      ],
    );
    expect(expired.status).toBe('expired');
    const dep = { ...used, entitlements: used.entitlements.map((b) => ({ ...b, endedBy: 'DEP-1' })) };
    expect(expireUnused(dep, '2029-01-01').entitlements[1]?.endedBy).toBe('DEP-1');
  });

  it('BUY-1: BASE always, then the reactive plans held on the day (an ended one not)', () => {
    expect(coveragePlans(wo, '2027-03-01')).toEqual(['BASE', 'UER', 'AEM']);
    expect(coveragePlans(wo, '2028-12-31')).toEqual(['BASE', 'UER', 'AEM']);
    expect(coveragePlans(wo, '2029-01-01')).toEqual(['BASE']);
    expect(coveragePlans({ entitlements: [] }, '2027-03-01')).toEqual(['BASE']);
  });

  it('MN-1: only a support location of the Work Order has a calendar', () => {
    expect(refusal(() => calendarForLocation(wo, 'FR'))).toEqual({
      rule: 'MN-1',
      path: 'location',
      status: 422,
      message: 'FR is not a support location on this Work Order.',
    });
    expect(calendarForLocation(wo)).toBeDefined();
  });
});
