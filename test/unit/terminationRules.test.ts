// Edges of termination (EXP-1, DEP-1, DEP-2, FLEX-3) and of ending one add-on early that mutation testing found
// unproven: each date boundary from both sides, the refusal's rule, field, status and message.
import { describe, expect, it } from 'vitest';
import { refusal } from '../support/refusal';
import { DEFAULT_CATALOGUE, type CatalogueEdition } from '../../domain/catalogue/serviceCatalogue';
import type { AemBookingRecord } from '../../domain/aem/aemRecord';
import type { CyberEngagementRecord } from '../../domain/cyber/cyberRecord';
import { findEntitlement, reserve } from '../../domain/workOrder/entitlements';
import {
  assertPrerequisites,
  decideTermination,
  dependentsEndingWith,
  endEntitlement,
} from '../../domain/workOrder/termination';
import { terminationCascade } from '../../domain/workOrder/terminationCascade';
import type { ServiceRequestRecord } from '../../domain/workOrder/workOrderStore';
import { acceptWorkOrder } from '../../domain/workOrder/workOrderView';
import { workOrderBody } from '../support/workOrderFixtures';

const wo = acceptWorkOrder(
  workOrderBody({
    term: { start: '2027-01-01', end: '2028-12-31' },
    flexAllocations: [
      { year: 1, target: 'service', serviceCode: 'WORKSHOP', amount: 100_000 },
      { year: 2, target: 'service', serviceCode: 'WORKSHOP', amount: 100_000 },
    ],
    entitlements: [
      { serviceCode: 'RAPID_RESPONSE' },
      { serviceCode: 'AZURE_ENGINEERING_DIRECT', quantity: 1 },
      { serviceCode: 'EDE', hours: 100 },
      { serviceCode: 'WORKSHOP', quantity: 2 },
    ],
  }),
  { id: 'wo-1', asOf: '2027-01-01' },
);

describe('EXP-1 termination dates', () => {
  it('EXP-1: refused once terminated (409), after the term (409), before today (400) or outside the term (422)', () => {
    const { workOrder: terminated } = decideTermination(wo, '2027-06-30', 'merger', '2027-03-01');
    expect(refusal(() => decideTermination(terminated, '2027-07-31', 'again', '2027-03-01'))).toEqual({
      rule: 'EXP-1',
      path: 'at',
      status: 409,
      message: 'This Work Order is already terminated (last day 2027-06-30).',
    });
    expect(refusal(() => decideTermination(wo, '2029-01-05', 'late', '2029-01-01'))).toEqual({
      rule: 'EXP-1',
      path: 'at',
      status: 409,
      message: 'This Work Order expired on 2028-12-31.',
    });
    // On the last day of the term it can still be terminated that day.
    expect(decideTermination(wo, '2028-12-31', 'last day', '2028-12-31').workOrder.terminatesOn).toBe('2028-12-31');
    expect(refusal(() => decideTermination(wo, '2027-02-28', 'past', '2027-03-01'))).toEqual({
      rule: 'EXP-1',
      path: 'at',
      status: 400,
      message: 'The termination date cannot be before today (2027-03-01).',
    });
    expect(refusal(() => decideTermination(wo, '2029-01-01', 'after', '2027-03-01'))).toEqual({
      rule: 'EXP-1',
      path: 'at',
      status: 422,
      message: 'The termination date must fall within the term (2027-01-01 to 2028-12-31).',
    });
    // Before the term starts (a Work Order signed ahead of its term): from its first day.
    expect(refusal(() => decideTermination(wo, '2026-12-31', 'early', '2026-12-20')).status).toBe(422);
    expect(decideTermination(wo, '2027-01-01', 'first day', '2026-12-20').workOrder.terminatesOn).toBe('2027-01-01');
  });

  it('EXP-1, DEP-1, DEP-2: every entitlement ends on the last day with its rule; FLEX-3: the flex year holding it ends too', () => {
    const { workOrder, cascade } = decideTermination(wo, '2027-12-31', 'merger', '2027-03-01');
    expect(workOrder.entitlements.map((e) => [e.serviceCode, e.endsOn, e.endedBy])).toEqual([
      ['RAPID_RESPONSE', '2027-12-31', 'EXP-1'],
      ['AZURE_ENGINEERING_DIRECT', '2027-12-31', 'DEP-2'],
      ['EDE', '2027-12-31', 'DEP-1'],
      ['WORKSHOP', '2027-12-31', 'EXP-1'],
    ]);
    expect(cascade).toEqual([
      { serviceCode: 'AZURE_ENGINEERING_DIRECT', rule: 'DEP-2' },
      { serviceCode: 'EDE', rule: 'DEP-1' },
    ]);
    // The last day of flex year 1 is the last day: year 1 is kept whole, year 2 never begins.
    expect(workOrder.flexPeriods.map((p) => [p.year, p.start, p.end])).toEqual([[1, '2027-01-01', '2027-12-31']]);
    // On the first day of year 2, year 2 is kept for that one day.
    const later = decideTermination(wo, '2028-01-01', 'merger', '2027-03-01').workOrder;
    expect(later.flexPeriods.map((p) => [p.year, p.start, p.end])).toEqual([
      [1, '2027-01-01', '2027-12-31'],
      [2, '2028-01-01', '2028-01-01'],
    ]);
    // An entitlement that already ends earlier keeps its own end.
    const ended = { ...wo, entitlements: wo.entitlements.map((e) => ({ ...e, endsOn: '2027-05-31', endedBy: 'X' })) };
    expect(decideTermination(ended, '2027-05-31', 'm', '2027-03-01').workOrder.entitlements[0]).toMatchObject({
      endsOn: '2027-05-31',
      endedBy: 'X',
    });
  });

  it("DEP-1, DEP-2: a missing prerequisite is named under the service's own rule; without one the rule is DEP-1", () => {
    expect(
      refusal(() => assertPrerequisites('AZURE_ENGINEERING_DIRECT', new Set(['UNIFIED_SUPPORT']), 'entitlements[0]')),
    ).toEqual({
      rule: 'DEP-2',
      path: 'entitlements[0]',
      status: 422,
      message: 'AZURE_ENGINEERING_DIRECT requires Rapid Response.',
    });
    expect(refusal(() => assertPrerequisites('AZURE_ENGINEERING_DIRECT', new Set(), 'x')).message).toBe(
      'AZURE_ENGINEERING_DIRECT requires a current Unified Support agreement and Rapid Response.',
    );
    expect(() => assertPrerequisites('EDE', new Set(['UNIFIED_SUPPORT']), 'x')).not.toThrow();
    const services = {
      ...DEFAULT_CATALOGUE.services,
      EDE: { ...DEFAULT_CATALOGUE.services.EDE, requiresRule: undefined },
    };
    const catalogue: CatalogueEdition = { ...DEFAULT_CATALOGUE, services };
    expect(refusal(() => assertPrerequisites('EDE', new Set(), 'x', catalogue)).rule).toBe('DEP-1');
    expect(dependentsEndingWith('UNIFIED_SUPPORT', ['EDE'], catalogue)).toEqual([
      { serviceCode: 'EDE', rule: 'DEP-1' },
    ]);
  });
});

describe('ending one add-on early', () => {
  it('ENT-1, EXP-1: only a held add-on, on a day from today to the term end, not already ended by then', () => {
    expect(refusal(() => endEntitlement(wo, 'REDE', '2027-06-30', '2027-03-01'))).toEqual({
      rule: 'ENT-1',
      path: 'serviceCode',
      status: 422,
      message: 'This Work Order has no REDE entitlement.',
    });
    const bad = {
      rule: 'EXP-1',
      path: 'at',
      status: 422,
      message: 'An add-on ends on a day from today (2027-03-01) to the term end (2028-12-31).',
    };
    expect(refusal(() => endEntitlement(wo, 'EDE', '2027-02-28', '2027-03-01'))).toEqual(bad);
    expect(refusal(() => endEntitlement(wo, 'EDE', '2029-01-01', '2027-03-01'))).toEqual(bad);
    expect(refusal(() => endEntitlement(wo, 'EDE', '2026-12-31', '2026-12-01')).rule).toBe('EXP-1');
    expect(endEntitlement(wo, 'EDE', '2027-03-01', '2027-03-01').workOrder.entitlements[2]).toMatchObject({
      serviceCode: 'EDE',
      endsOn: '2027-03-01',
      endedBy: 'EXP-1',
    });
    expect(endEntitlement(wo, 'EDE', '2027-01-01', '2026-12-01').cascade).toEqual([]);
    const ended = endEntitlement(wo, 'EDE', '2027-06-30', '2027-03-01').workOrder;
    expect(refusal(() => endEntitlement(ended, 'EDE', '2027-06-30', '2027-03-01'))).toEqual({
      rule: 'EXP-1',
      path: 'at',
      status: 409,
      message: 'EDE already ends on 2027-06-30.',
    });
    expect(endEntitlement(ended, 'EDE', '2027-06-29', '2027-03-01').workOrder.entitlements[2]?.endsOn).toBe(
      '2027-06-29',
    );
    expect(endEntitlement(wo, 'EDE', '2028-12-30', '2027-03-01').workOrder.entitlements[2]?.endsOn).toBe('2028-12-30');
  });

  it('DEP-2: ending Rapid Response ends Azure Engineering Direct with it; other add-ons stay', () => {
    const { workOrder, cascade } = endEntitlement(wo, 'RAPID_RESPONSE', '2027-06-30', '2027-03-01');
    expect(cascade).toEqual([{ serviceCode: 'AZURE_ENGINEERING_DIRECT', rule: 'DEP-2' }]);
    expect(workOrder.entitlements.map((e) => [e.serviceCode, e.endsOn, e.endedBy ?? null])).toEqual([
      ['RAPID_RESPONSE', '2027-06-30', 'EXP-1'],
      ['AZURE_ENGINEERING_DIRECT', '2027-06-30', 'DEP-2'],
      ['EDE', '2028-12-31', null],
      ['WORKSHOP', '2028-12-31', null],
    ]);
    // Azure Engineering Direct that already ended before does not end again.
    const aedEnded = endEntitlement(wo, 'AZURE_ENGINEERING_DIRECT', '2027-05-31', '2027-03-01').workOrder;
    expect(endEntitlement(aedEnded, 'RAPID_RESPONSE', '2027-06-30', '2027-03-01').cascade).toEqual([]);
    // Azure Engineering Direct that ends on that very day is not ended again.
    const aedSameDay = endEntitlement(wo, 'AZURE_ENGINEERING_DIRECT', '2027-06-30', '2027-03-01').workOrder;
    expect(endEntitlement(aedSameDay, 'RAPID_RESPONSE', '2027-06-30', '2027-03-01').cascade).toEqual([]);
    // Ending another add-on cascades nothing.
    expect(endEntitlement(wo, 'WORKSHOP', '2027-06-30', '2027-03-01').cascade).toEqual([]);
  });
});

describe('what a termination cuts (rules.md section 9)', () => {
  const request = (id: string, startDate: string, status: ServiceRequestRecord['status'], quantity = 1) =>
    ({
      id,
      workOrderId: 'wo-1',
      serviceCode: 'WORKSHOP',
      startDate,
      days: 1,
      price: 100,
      fundedBy: 'entitlement',
      status,
      quantity,
      requestedAt: '2027-02-01T00:00:00Z',
      updatedAt: '2027-02-01T00:00:00Z',
    }) as ServiceRequestRecord;
  const entitlements = reserve(reserve(wo.entitlements, 'WORKSHOP', 1), 'WORKSHOP', 1);

  it('ENT-1, EXP-1: open requests starting after the last day are cancelled without fee and given back; others stay', () => {
    const cut = terminationCascade({
      at: '2027-06-30',
      now: '2027-03-01T10:00:00Z',
      entitlements,
      requests: [
        request('on-last-day', '2027-06-30', 'requested'),
        request('after', '2027-07-01', 'scheduled'),
        request('requested-after', '2027-07-02', 'requested'),
        request('delivered-after', '2027-07-01', 'delivered'),
        request('cancelled-after', '2027-07-01', 'cancelled'),
        request('zero', '2027-07-03', 'requested', 0),
      ],
      aemBookings: [],
      cyberEngagements: [],
    });
    expect(cut.requests.map((r) => [r.id, r.status, r.maxCancellationFee, r.updatedAt])).toEqual([
      ['after', 'cancelled', 0, '2027-03-01T10:00:00Z'],
      ['requested-after', 'cancelled', 0, '2027-03-01T10:00:00Z'],
      ['zero', 'cancelled', 0, '2027-03-01T10:00:00Z'],
    ]);
    expect(findEntitlement(cut.entitlements, 'WORKSHOP')).toMatchObject({ reserved: 0, remaining: 2 });
    expect(cut.timeline.map((t) => [t.kind, t.rule])).toEqual([
      ['serviceCancelled', 'EXP-1'],
      ['serviceCancelled', 'EXP-1'],
      ['serviceCancelled', 'EXP-1'],
    ]);
  });

  it('EXP-1: AEM events starting after the last day are given back; closed or cancelled bookings are left alone', () => {
    const booking = (id: string, phase: AemBookingRecord['phase'], starts: string[]) =>
      ({
        id,
        workOrderId: 'wo-1',
        solutionName: id,
        confirmedAt: '2027-01-01',
        events: starts.map((start) => ({ start, end: start, solutionName: id })),
        phase,
        timeZone: 'Europe/Amsterdam',
        consumed: 0,
        summary: null,
        cancelledAt: null,
      }) as unknown as AemBookingRecord;
    const aemBalances = [{ ...findEntitlement(wo.entitlements, 'WORKSHOP'), serviceCode: 'AEM' as const, reserved: 4 }];
    const cut = terminationCascade({
      at: '2027-06-30',
      now: '2027-03-01T10:00:00Z',
      entitlements: aemBalances,
      requests: [],
      aemBookings: [
        booking('split', 'planned', ['2027-06-30', '2027-07-01']),
        booking('closed', 'closed', ['2027-07-01']),
        booking('cancelled', 'cancelled', ['2027-07-01']),
        booking('before', 'planned', ['2027-06-01']),
      ],
      cyberEngagements: [],
    });
    expect(cut.aem.map((a) => [a.record.id, a.lifecycle, a.record.events.map((e) => e.start)])).toEqual([
      ['split', 'rescheduled', ['2027-06-30']],
    ]);
    expect(cut.aem[0]?.record.cancelledEvents).toEqual([{ start: '2027-07-01', end: '2027-07-01' }]);
    expect(cut.entitlements[0]?.reserved).toBe(3);
  });

  it('DEP-1: cybersecurity days after the last day are given back, the deliverables lapse with the agreement', () => {
    const engagement = (id: string, status: CyberEngagementRecord['status'], dates: string[], lapsesOn: string) =>
      ({
        id,
        workOrderId: 'wo-1',
        offering: 'CYBER_INCIDENT_RESPONSE_1DAY',
        status,
        schedule: dates.map((date) => ({ date, from: `${date}T08:00`, to: `${date}T17:00` })),
        days: dates.length,
        hours: 32 + 8 * (dates.length - 1),
        deliverablesDueBy: lapsesOn,
        obligationLapsesOn: lapsesOn,
        deliveredDates: [],
        acknowledgements: null,
        extensionBlocks: 0,
        timeZone: 'Europe/Amsterdam',
      }) as unknown as CyberEngagementRecord;
    const cut = terminationCascade(
      {
        at: '2027-06-30',
        now: '2027-03-01T10:00:00Z',
        entitlements: [],
        requests: [],
        aemBookings: [],
        cyberEngagements: [
          engagement('cut', 'scheduled', ['2027-06-30', '2027-07-01'], '2027-07-11'),
          engagement('done-before', 'closed', ['2027-06-01'], '2027-06-11'),
          engagement('lapses-after', 'closed', ['2027-06-25'], '2027-07-05'),
          engagement('on-last-day', 'closed', ['2027-06-20'], '2027-06-30'),
          engagement('lapsed', 'lapsed', ['2027-07-01'], '2027-07-11'),
          engagement('cancelled', 'cancelled', ['2027-07-01'], '2027-07-11'),
        ],
      },
      DEFAULT_CATALOGUE,
    );
    expect(cut.cyber.map((c) => [c.record.id, c.lifecycle])).toEqual([
      ['cut', 'rescheduled'],
      ['lapses-after', 'rescheduled'],
    ]);
    // The 1-day offering's first day holds 32 hours; the dropped later day 8.
    expect(cut.cyber[0]?.record).toMatchObject({
      days: 1,
      hours: 32,
      cancelledDates: ['2027-07-01'],
      deliverablesDueBy: '2027-06-30',
      obligationLapsesOn: '2027-06-30',
    });
    expect(cut.cyber[1]?.record).toMatchObject({
      days: 1,
      deliverablesDueBy: '2027-06-30',
      obligationLapsesOn: '2027-06-30',
    });
    const first = terminationCascade({
      at: '2027-06-30',
      now: 'n',
      entitlements: [],
      requests: [],
      aemBookings: [],
      cyberEngagements: [engagement('late', 'scheduled', ['2027-07-01', '2027-07-02'], '2027-07-12')],
    }).cyber[0]?.record;
    expect(first).toMatchObject({ status: 'cancelled', cancelledDates: ['2027-07-01', '2027-07-02'] });
  });
});
