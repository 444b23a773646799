import { describe, expect, it } from 'vitest';
import { aemPhaseDates, planAemBooking } from '../../domain/aem/aemBooking';
import { aemSteps, type AemBookingRecord } from '../../domain/aem/aemRecord';
import { planCyberEngagement } from '../../domain/cyber/cyberEngagement';
import type { CyberEngagementRecord } from '../../domain/cyber/cyberRecord';
import { RuleViolation } from '../../domain/ruleViolation';
import { findEntitlement, reserveEntitlement, replaceEntitlement } from '../../domain/workOrder/entitlements';
import { workOrderLifecycleSchedule } from '../../domain/workOrder/lifecycleSchedule';
import { acceptServiceRequest } from '../../domain/workOrder/requests';
import { effectiveTerm } from '../../domain/workOrder/term';
import { decideTermination } from '../../domain/workOrder/termination';
import { terminationCascade } from '../../domain/workOrder/terminationCascade';
import type { ServiceRequestRecord } from '../../domain/workOrder/workOrderStore';
import { assertInForce, acceptWorkOrder, workOrderStatus } from '../../domain/workOrder/workOrderView';

const wo = acceptWorkOrder(
  {
    customerId: 'contoso',
    number: 'WO-T',
    signedAt: '2026-12-15',
    term: { start: '2027-01-01', end: '2028-12-31' },
    host: { country: 'NL', timeZone: 'Europe/Amsterdam' },
    currency: 'USD',
    basePackage: { listPrice: 1_000_000, flexAllowancePerYear: 100_000 },
    flexAllocations: [{ year: 1, target: 'service', serviceCode: 'WORKSHOP', amount: 100_000 }],
    entitlements: [
      { serviceCode: 'AEM', quantity: 4 },
      { serviceCode: 'CYBER_INCIDENT_RESPONSE', days: 15 },
      { serviceCode: 'WORKSHOP', quantity: 3 },
    ],
  },
  { id: 'wo-t', asOf: '2027-03-01' },
);
function violation(fn: () => unknown): RuleViolation {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleViolation) return e;
    throw e;
  }
  throw new Error('expected a RuleViolation');
}
const request = (id: string, startDate: string, status: ServiceRequestRecord['status']): ServiceRequestRecord => ({
  id,
  workOrderId: 'wo-t',
  serviceCode: 'WORKSHOP',
  startDate,
  days: 1,
  price: 1000,
  fundedBy: 'entitlement',
  status,
  quantity: 1,
  requestedAt: '2027-03-01T09:00:00Z',
  updatedAt: '2027-03-01T09:00:00Z',
});
const aemRecord = (id: string, start: string, days: number): AemBookingRecord => {
  const plan = planAemBooking({ solutionName: id, cloud: 'AzurePublic', start, days, confirmedAt: '2027-03-01' });
  const { status: _planned, ...booking } = plan;
  return {
    ...booking,
    id,
    workOrderId: 'wo-t',
    cloud: 'AzurePublic',
    timeZone: 'Europe/Amsterdam',
    phases: aemPhaseDates(plan, 'Europe/Amsterdam'),
    phase: 'planned',
    consumed: 0,
    summary: null,
    cancelledAt: null,
  };
};
const cyberRecord = (id: string, start: string, days: number): CyberEngagementRecord => ({
  ...planCyberEngagement({ offering: 'CYBER_INCIDENT_RESPONSE', start, days, timeZone: 'Europe/Amsterdam' }),
  id,
  workOrderId: 'wo-t',
  status: 'scheduled',
  deliveredDates: [],
  acknowledgements: null,
  extensionBlocks: 0,
});

describe('termination (rules.md section 9: EXP-1, DEP-1)', () => {
  it('EXP-1: `at` is the last day — active with terminatesOn up to and including it, terminated from the next day', () => {
    const { workOrder } = decideTermination(wo, '2027-06-30', 'merger', '2027-03-01');
    expect(workOrder).toMatchObject({ status: 'active', terminatesOn: '2027-06-30' });
    expect(workOrderStatus(workOrder, '2027-06-30')).toBe('active');
    expect(() => assertInForce(workOrder, '2027-06-30')).not.toThrow();
    expect(workOrderStatus(workOrder, '2027-07-01')).toBe('terminated');
    expect(violation(() => assertInForce(workOrder, '2027-07-01'))).toMatchObject({ rule: 'EXP-1', status: 409 });
  });

  it('EXP-1: `at` before today is malformed (400); after the term 422; a second termination 409', () => {
    expect(violation(() => decideTermination(wo, '2027-02-28', 'late', '2027-03-01'))).toMatchObject({
      status: 400,
      path: 'at',
    });
    expect(() => decideTermination(wo, '2027-03-01', 'today', '2027-03-01')).not.toThrow();
    expect(violation(() => decideTermination(wo, '2029-01-01', 'after', '2027-03-01')).status).toBe(422);
    const { workOrder } = decideTermination(wo, '2027-06-30', 'merger', '2027-03-01');
    expect(violation(() => decideTermination(workOrder, '2027-05-31', 'again', '2027-03-01')).status).toBe(409);
  });

  it('EXP-1, REQ-60, FLEX-3: dates derived from the term follow `at`', () => {
    const { workOrder } = decideTermination(wo, '2027-06-30', 'merger', '2027-03-01');
    expect(effectiveTerm(workOrder)).toEqual({ start: '2027-01-01', end: '2027-06-30' });
    const years = workOrderLifecycleSchedule(workOrder);
    expect(years).toHaveLength(1);
    expect(years[0]?.events.map((e) => [e.kind, e.date])).toEqual([
      ['requestWindowReminder', '2027-04-01'], // 30 days before the window closes on 1 May (REQ-60 from 30 June)
      ['requestWindowReminder', '2027-04-24'],
      ['flexPeriodEnded', '2027-06-30'],
      ['termEnded', '2027-06-30'],
    ]);
    expect(workOrder.flexPeriods).toEqual([expect.objectContaining({ year: 1, end: '2027-06-30' })]);
    // REQ-60 now counts from 30 June: a request on 2 May is refused; a delivery after `at` is refused (EXP-1).
    const body = { serviceCode: 'WORKSHOP', startDate: '2027-06-01', days: 1, price: 0, fundedBy: 'entitlement' };
    expect(violation(() => acceptServiceRequest(workOrder, body, new Date('2027-05-02T10:00:00Z'))).rule).toBe(
      'REQ-60',
    );
    expect(
      violation(() =>
        acceptServiceRequest(workOrder, { ...body, startDate: '2027-07-01' }, new Date('2027-04-01T10:00:00Z')),
      ).rule,
    ).toBe('EXP-1');
    // A booking ending after the term: 422 EXP-1 (AEM and cybersecurity).
    const aem = { solutionName: 's', cloud: 'AzurePublic', start: '2027-06-28', days: 5, confirmedAt: '2027-03-01' };
    expect(violation(() => planAemBooking(aem, { term: effectiveTerm(workOrder) }))).toMatchObject({
      rule: 'EXP-1',
      status: 422,
    });
    const cyber = { offering: 'CYBER_INCIDENT_RESPONSE', start: '2027-06-28', days: 5, timeZone: 'Europe/Amsterdam' };
    expect(violation(() => planCyberEngagement(cyber, { term: effectiveTerm(workOrder) })).rule).toBe('EXP-1');
    expect(() =>
      planCyberEngagement({ ...cyber, start: '2027-06-21' }, { term: effectiveTerm(workOrder) }),
    ).not.toThrow();
  });

  it('EXP-1, DEP-1, ENT-1: what lies after `at` is cancelled and given back; what started runs on', () => {
    let entitlements = [...wo.entitlements];
    const reserve = (code: 'AEM' | 'CYBER_INCIDENT_RESPONSE' | 'WORKSHOP', n: number) => {
      entitlements = replaceEntitlement(entitlements, reserveEntitlement(findEntitlement(entitlements, code), n));
    };
    reserve('WORKSHOP', 3);
    reserve('AEM', 3); // 2 for the June booking (27 June + 2 July), 1 for September
    reserve('CYBER_INCIDENT_RESPONSE', 15);
    const { workOrder } = decideTermination({ ...wo, entitlements }, '2027-06-30', 'merger', '2027-03-01');
    const cut = terminationCascade({
      at: '2027-06-30',
      now: '2027-03-01T09:00:00Z',
      entitlements: workOrder.entitlements,
      requests: [
        request('before', '2027-06-30', 'scheduled'),
        request('after', '2027-07-01', 'scheduled'),
        request('requested', '2027-09-01', 'requested'),
      ],
      aemBookings: [aemRecord('across', '2027-06-27', 7), aemRecord('september', '2027-09-01', 3)],
      cyberEngagements: [
        cyberRecord('across', '2027-06-28', 5), // 28, 29, 30 June kept; 1, 2 July cancelled
        cyberRecord('july', '2027-07-05', 5),
        cyberRecord('may', '2027-05-03', 5), // deliverables due 17 May: unchanged
      ],
    });
    expect(cut.requests.map((r) => [r.id, r.status, r.maxCancellationFee])).toEqual([
      ['after', 'cancelled', 0],
      ['requested', 'cancelled', 0],
    ]);
    expect(findEntitlement(cut.entitlements, 'WORKSHOP')).toMatchObject({ reserved: 1, remaining: 2 });
    // AEM: the June booking keeps the event whose window starts by `at` (27 June–1 July runs to its end).
    const across = cut.aem.find((a) => a.record.id === 'across');
    expect(across?.lifecycle).toBe('rescheduled');
    expect(across?.record.events).toEqual([{ start: '2027-06-27', end: '2027-07-01', solutionName: 'across' }]);
    expect(across?.record.cancelledEvents).toEqual([{ start: '2027-07-02', end: '2027-07-03' }]);
    expect(aemSteps(across!.record).filter((s) => s.phase === 'live')).toHaveLength(1);
    expect(cut.aem.find((a) => a.record.id === 'september')).toMatchObject({
      lifecycle: 'cancelled',
      record: { phase: 'cancelled' },
    });
    expect(findEntitlement(cut.entitlements, 'AEM')).toMatchObject({ reserved: 1, remaining: 3 });
    // Cybersecurity: the engagement across `at` is cut there, its deliverables lapse with the agreement (DEP-1).
    const cyber = cut.cyber.find((c) => c.record.id === 'across');
    expect(cyber?.record).toMatchObject({
      days: 3,
      hours: 24,
      cancelledDates: ['2027-07-01', '2027-07-02'],
      obligationLapsesOn: '2027-06-30',
      deliverablesDueBy: '2027-06-30',
    });
    expect(cyber?.record.schedule.map((d) => d.date)).toEqual(['2027-06-28', '2027-06-29', '2027-06-30']);
    expect(cut.cyber.find((c) => c.record.id === 'july')).toMatchObject({
      lifecycle: 'cancelled',
      record: { status: 'cancelled' },
    });
    expect(cut.cyber.find((c) => c.record.id === 'may')).toBeUndefined();
    expect(findEntitlement(cut.entitlements, 'CYBER_INCIDENT_RESPONSE')).toMatchObject({ reserved: 8, remaining: 7 });
    expect(cut.timeline.map((e) => [e.kind, e.rule])).toEqual([
      ['serviceCancelled', 'EXP-1'],
      ['serviceCancelled', 'EXP-1'],
      ['aemEventShortened', 'EXP-1'],
      ['aemEventCancelled', 'EXP-1'],
      ['cyberEngagementCut', 'DEP-1'],
      ['cyberEngagementCancelled', 'DEP-1'],
    ]);
  });

  it('FLEX-3: a flex-funded request lies within the flex year holding its first day, with an allocation to it', () => {
    const body = { serviceCode: 'WORKSHOP', startDate: '2027-06-01', days: 2, price: 5000, fundedBy: 'flex' };
    const submitted = new Date('2027-03-01T10:00:00Z');
    expect(acceptServiceRequest(wo, body, submitted).request).toMatchObject({ status: 'requested' });
    // Across the end of flex year 1 (31 December 2027): 422 FLEX-3.
    expect(violation(() => acceptServiceRequest(wo, { ...body, startDate: '2027-12-31' }, submitted))).toMatchObject({
      rule: 'FLEX-3',
      status: 422,
    });
    // Year 2 allocated nothing to workshops: 422 FLEX-3.
    expect(violation(() => acceptServiceRequest(wo, { ...body, startDate: '2028-02-01' }, submitted)).rule).toBe(
      'FLEX-3',
    );
    expect(violation(() => acceptServiceRequest(wo, { ...body, serviceCode: 'CHALK_TALK' }, submitted)).path).toBe(
      'serviceCode',
    );
  });
});
