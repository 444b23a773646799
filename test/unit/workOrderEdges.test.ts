// Edges of the Work Order rules that the mutation run of domain/workOrder found unproven (HOURS-1, MN-1, UER-5,
// FLEX-3, BUY-5, DEVS-1, EXP-1, SDM-REQ, PRO-2, REQ-60 reminders, duties after a termination).
import { describe, expect, it } from 'vitest';
import { refusal } from '../support/refusal';
import { DEFAULT_CATALOGUE, type CatalogueEdition } from '../../domain/catalogue/serviceCatalogue';
import { locationRole } from '../../domain/workOrder/contacts';
import { dutiesFor } from '../../domain/workOrder/duties';
import { assertFlexFunding } from '../../domain/workOrder/flex';
import { workOrderLifecycleSchedule } from '../../domain/workOrder/lifecycleSchedule';
import { acceptServiceRequest } from '../../domain/workOrder/requests';
import { endEntitlement } from '../../domain/workOrder/termination';
import { describeCalendarChange, workOrderCalendarSchema } from '../../domain/workOrder/workOrderCalendar';
import { acceptWorkOrder, addEntitlement, validateWorkOrder } from '../../domain/workOrder/workOrderView';
import { workOrderInputSchema } from '../../domain/workOrder/workOrderSchema';
import { workOrderBody } from '../support/workOrderFixtures';

const accept = (over: Record<string, unknown> = {}, asOf = '2027-03-01') =>
  acceptWorkOrder(workOrderBody({ flexAllocations: [], ...over }), { id: 'wo-1', asOf });

describe('HOURS-1 location calendars', () => {
  it('HOURS-1: a day both closed and open is refused on `open`, naming the day', () => {
    const result = workOrderCalendarSchema.safeParse({
      locations: { NL: { closed: ['2027-05-01', '2027-05-02'], open: ['2027-05-02'] } },
    });
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ['locations', 'NL', 'open'],
        message: 'a day cannot be both closed and open: 2027-05-02',
      }),
    ]);
    expect(
      workOrderCalendarSchema
        .safeParse({
          locations: { NL: { closed: ['2027-05-01', '2027-05-02'], open: ['2027-05-01', '2027-05-02'] } },
        })
        .error?.issues.map((i) => [i.code, i.message]),
    ).toEqual([['custom', 'a day cannot be both closed and open: 2027-05-01, 2027-05-02']]);
  });

  it('HOURS-1: the timeline says, per location, the days now closed and open', () => {
    const before = { locations: { NL: { closed: ['2027-05-01'], open: [] } } };
    const after = { locations: { DE: { closed: [], open: ['2027-05-08'] } } };
    expect(describeCalendarChange(before, after)).toBe('DE: closed none; open 2027-05-08. NL: closed none; open none');
    expect(describeCalendarChange(undefined, before)).toBe('NL: closed 2027-05-01; open none');
  });

  it('HOURS-1, MN-1: an override for a country that is no support location is refused on its calendar path', () => {
    const input = workOrderInputSchema.parse(
      workOrderBody({ flexAllocations: [], calendar: { locations: { FR: { closed: ['2027-05-01'] } } } }),
    );
    expect(refusal(() => validateWorkOrder(input))).toMatchObject({ rule: 'MN-1', path: 'calendar.locations.FR' });
  });
});

describe('the Work Order body', () => {
  it('MN-4: proactive credits for at most 100 countries: 100 pass, 101 are refused', () => {
    const countries = (count: number) =>
      Object.fromEntries(
        Array.from({ length: count }, (_, i) => [
          `${String.fromCharCode(65 + Math.floor(i / 26))}${String.fromCharCode(65 + (i % 26))}`,
          1,
        ]),
      );
    expect(workOrderInputSchema.safeParse(workOrderBody({ proactiveCredits: countries(100) })).success).toBe(true);
    expect(workOrderInputSchema.safeParse(workOrderBody({ proactiveCredits: countries(101) })).error?.issues).toEqual([
      expect.objectContaining({ path: ['proactiveCredits'], message: 'at most 100 countries' }),
    ]);
  });
});

describe('the Work Order body: refinement issues are custom issues (FLEX-2, MN-1, BUY-1)', () => {
  it('FLEX-2, MN-1, BUY-1: a missing usdRate, a location listed twice and an amount in the wrong unit are custom issues', () => {
    const codes = (over: Record<string, unknown>) =>
      workOrderInputSchema.safeParse(workOrderBody(over)).error?.issues.map((i) => [i.code, i.path.join('.')]);
    expect(codes({ currency: 'EUR' })).toEqual([['custom', 'usdRate']]);
    expect(
      codes({
        downstream: [
          { country: 'DE', timeZone: 'Europe/Berlin' },
          { country: 'DE', timeZone: 'Europe/Berlin' },
        ],
      }),
    ).toEqual([['custom', 'downstream.1.country']]);
    expect(codes({ entitlements: [{ serviceCode: 'EDE' }] })).toEqual([['custom', 'entitlements.0']]);
  });
});

describe('MN-1 location roles', () => {
  it('MN-1: any listed Downstream location is Downstream, not only when it is the only one', () => {
    const locations = { host: { country: 'NL' }, downstream: [{ country: 'DE' }, { country: 'BE' }] };
    expect(locationRole(locations, 'BE')).toBe('downstream');
    expect(locationRole(locations, 'NL')).toBe('host');
    expect(locationRole(locations, 'FR')).toBeNull();
  });
});

describe('UER-5, GHED-1 quarterly reviews', () => {
  it('UER-5: a plan added during the term owes no review for quarters that ended before it was added', () => {
    const term = { start: '2027-01-01', end: '2027-12-31' };
    const reviews = dutiesFor('wo-1', term, ['UER'], '2027-07-15').filter((d) => d.kind === 'quarterlyReview');
    expect(reviews.map((d) => d.dueOn)).toEqual(['2027-09-30', '2027-12-31']);
    const ghed = dutiesFor('wo-1', term, ['GITHUB_ENGINEERING_DIRECT'], '2027-06-30');
    expect(ghed.map((d) => d.dueOn)).toEqual(['2027-06-30', '2027-09-30', '2027-12-31']);
  });
});

describe('FLEX-3 flex funding', () => {
  it('FLEX-3: a delivery starting before the term is in no flex year', () => {
    const term = { start: '2027-01-01', end: '2028-12-31' };
    const allocations = [{ year: 1, target: 'service' as const, serviceCode: 'WORKSHOP' as const, amount: 1 }];
    expect(
      refusal(() =>
        assertFlexFunding(term, allocations, { serviceCode: 'WORKSHOP', startDate: '2026-12-31', days: 1 }),
      ),
    ).toEqual({
      rule: 'FLEX-3',
      path: 'startDate',
      status: 422,
      message: 'A flex-funded service is used within its flex year; this one runs to 2026-12-31.',
    });
    expect(assertFlexFunding(term, allocations, { serviceCode: 'WORKSHOP', startDate: '2027-01-01', days: 1 })).toBe(1);
  });
});

describe('adding and ending services during the term', () => {
  const wo = accept({
    entitlements: [
      { serviceCode: 'DEVELOPER_SUPPORT', quantity: 4 },
      { serviceCode: 'EDE', hours: 10 },
    ],
  });

  it('BUY-5: a service the edition does not offer in the Host country is refused as BUY-5 (MN-6 is only the STA)', () => {
    const catalogue: CatalogueEdition = {
      ...DEFAULT_CATALOGUE,
      services: {
        ...DEFAULT_CATALOGUE.services,
        WORKSHOP: { ...DEFAULT_CATALOGUE.services.WORKSHOP, unavailableIn: ['NL'] },
      },
    };
    expect(
      refusal(() => addEntitlement(wo, { serviceCode: 'WORKSHOP', quantity: 1 }, '2027-03-01', catalogue)),
    ).toEqual({
      rule: 'BUY-5',
      path: 'entitlement.serviceCode',
      status: 422,
      message: 'WORKSHOP is not available in NL.',
    });
  });

  it('DEVS-1: a refused addition names the entitlement', () => {
    expect(refusal(() => addEntitlement(wo, { serviceCode: 'DEVELOPER_SUPPORT', quantity: 7 }, '2027-03-01'))).toEqual({
      rule: 'DEVS-1',
      path: 'entitlement',
      status: 422,
      message: 'DEVELOPER_SUPPORT can be bought up to 10.',
    });
  });

  it('EXP-1: an ended add-on blocks buying itself again, not another service', () => {
    const edeEnded = {
      ...wo,
      entitlements: wo.entitlements.map((b) => (b.serviceCode === 'EDE' ? { ...b, endsOn: '2027-02-28' } : b)),
    };
    expect(addEntitlement(edeEnded, { serviceCode: 'DEVELOPER_SUPPORT', quantity: 1 }, '2027-03-01').amount).toBe(1);
    expect(refusal(() => addEntitlement(edeEnded, { serviceCode: 'EDE', hours: 1 }, '2027-03-01')).rule).toBe('EXP-1');
  });

  it('SDM-REQ: holding SDM_ADDON among other services is enough to need no warning', () => {
    const withSdm = accept({
      entitlements: [
        { serviceCode: 'EDE', hours: 10 },
        { serviceCode: 'SDM_ADDON', hours: 10 },
      ],
    });
    expect(addEntitlement(withSdm, { serviceCode: 'WORKSHOP', quantity: 1 }, '2027-03-01').warnings).toEqual([]);
  });

  it('EXP-1: ending an add-on on the last day of the term is a state conflict (it already ends then), not a bad day', () => {
    expect(refusal(() => endEntitlement(wo, 'EDE', '2028-12-31', '2027-03-01'))).toEqual({
      rule: 'EXP-1',
      path: 'at',
      status: 409,
      message: 'EDE already ends on 2028-12-31.',
    });
  });
});

describe('PRO-2 services sold on-site', () => {
  it('PRO-2: a service sold on-site is delivered on-site by default and needs no written agreement', () => {
    const wo = accept({ entitlements: [{ serviceCode: 'SDM_ONSITE', days: 5 }] });
    const at = new Date('2027-03-01T09:00:00Z');
    const body = { serviceCode: 'SDM_ONSITE', startDate: '2027-05-03', days: 1, price: 1000, fundedBy: 'entitlement' };
    expect(acceptServiceRequest(wo, body, at).request.delivery).toBe('onsite');
    expect(acceptServiceRequest(wo, { ...body, delivery: 'onsite' }, at).request.delivery).toBe('onsite');
    expect(acceptServiceRequest(wo, { ...body, delivery: 'remote' }, at).request.delivery).toBe('remote');
  });
});

describe("the term's dated promises after a termination", () => {
  it('EXP-1: a duty due after the last day has no reminder either, even one dated before that day', () => {
    const host = { country: 'NL', timeZone: 'Europe/Amsterdam' };
    const term = { start: '2027-01-01', end: '2027-12-31' };
    const duties = dutiesFor('wo-1', term, ['UER']);
    const years = workOrderLifecycleSchedule({ term, terminatesOn: '2027-06-20', host, duties });
    // the Q2 review is due 2027-06-30 and reminded 2027-06-16: the termination ends it, reminder included
    expect(years.flatMap((y) => y.events.filter((e) => e.dutyId).map((e) => e.date))).toEqual([
      '2027-02-14',
      '2027-03-01',
      '2027-03-17',
      '2027-03-31',
    ]);
  });
});
