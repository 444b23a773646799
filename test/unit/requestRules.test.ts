// Edges of the service-request rules (SCHED-1, REQ-60, EXP-1, PRO-2, PRO-3, PRO-4, MN-2, CANCEL-14, FLEX-3, CRED-1)
// that mutation testing found unproven: both sides of each boundary, the refusal's rule, field and status.
import { describe, expect, it } from 'vitest';
import { refusal } from '../support/refusal';
import { RuleViolation } from '../../domain/ruleViolation';
import {
  acceptServiceRequest,
  assertDeliveryWithinTerm,
  assertRequestWindow,
  assertWorkshopMayBeCancelledForEnrolment,
  decideCancellation,
  decideFeeWaiver,
  rescheduleServiceRequest,
  serviceRequestInputSchema,
  transitionServiceRequest,
  type ServiceRequestAction,
  type ServiceRequestStatus,
} from '../../domain/workOrder/requests';
import { acceptWorkOrder } from '../../domain/workOrder/workOrderView';
import { workOrderBody } from '../support/workOrderFixtures';

const workOrder = acceptWorkOrder(
  workOrderBody({
    downstream: [{ country: 'DE', timeZone: 'Europe/Berlin' }],
    flexAllocations: [
      { year: 1, target: 'service', serviceCode: 'WORKSHOP', amount: 10_000 },
      { year: 1, target: 'service', serviceCode: 'WORKSHOP', amount: 5_000 },
      { year: 2, target: 'service', serviceCode: 'WORKSHOP', amount: 1_000 },
      { year: 1, target: 'customProactive', amount: 2_000 },
      { year: 1, target: 'service', serviceCode: 'CHALK_TALK', amount: 3_000 },
    ],
    entitlements: [{ serviceCode: 'WORKSHOP', quantity: 3 }],
    proactiveCredits: { NL: 100 },
  }),
  { id: 'wo-1', asOf: '2027-03-01' },
);
const at = new Date('2027-03-01T09:00:00Z');
const body = (over: Record<string, unknown> = {}) => ({
  serviceCode: 'WORKSHOP',
  startDate: '2027-05-03',
  days: 1,
  price: 1000,
  fundedBy: 'entitlement',
  ...over,
});
const accept = (over: Record<string, unknown> = {}, open: Parameters<typeof acceptServiceRequest>[4] = []) =>
  acceptServiceRequest(workOrder, body(over), at, undefined, open);

describe('SCHED-1 transitions', () => {
  it('SCHED-1: requested → scheduled → delivered; requested or scheduled → cancelled; nothing else (409)', () => {
    const statuses: ServiceRequestStatus[] = ['requested', 'scheduled', 'delivered', 'cancelled'];
    const actions: ServiceRequestAction[] = ['schedule', 'deliver', 'cancel'];
    const table = Object.fromEntries(
      actions.map((action) => [
        action,
        statuses.map((status) => {
          try {
            return transitionServiceRequest(status, action);
          } catch (e) {
            return (e as RuleViolation).status;
          }
        }),
      ]),
    );
    expect(table).toEqual({
      schedule: ['scheduled', 409, 409, 409],
      deliver: [409, 'delivered', 409, 409],
      cancel: ['cancelled', 'cancelled', 409, 409],
    });
    expect(refusal(() => transitionServiceRequest('delivered', 'cancel'))).toEqual({
      rule: 'SCHED-1',
      path: 'status',
      status: 409,
      message: 'A delivered service request cannot be cancelled.',
    });
  });

  it('SCHED-1: only a requested or scheduled request can be rescheduled; CANCEL-14 prices a late move of a scheduled one', () => {
    const wo = { term: workOrder.term, host: workOrder.host, terminatesOn: null };
    const request = (status: ServiceRequestStatus) => ({ status, startDate: '2027-05-03', days: 1, price: 700 });
    for (const status of ['delivered', 'cancelled'] as const)
      expect(refusal(() => rescheduleServiceRequest(request(status), '2027-06-01', at, wo))).toMatchObject({
        rule: 'SCHED-1',
        path: 'status',
        status: 409,
        message: `A ${status} service request cannot be rescheduled.`,
      });
    const on = (date: string) => new Date(`${date}T09:00:00Z`);
    // 14 days before the first day costs nothing, 13 days costs the price; a request never scheduled costs nothing.
    expect(rescheduleServiceRequest(request('scheduled'), '2027-06-01', on('2027-04-19'), wo)).toEqual({
      startDate: '2027-06-01',
      maxCancellationFee: 0,
      daysBeforeStart: 14,
    });
    expect(rescheduleServiceRequest(request('scheduled'), '2027-06-01', on('2027-04-20'), wo)).toEqual({
      startDate: '2027-06-01',
      maxCancellationFee: 700,
      daysBeforeStart: 13,
    });
    expect(rescheduleServiceRequest(request('requested'), '2027-06-01', on('2027-04-20'), wo).maxCancellationFee).toBe(
      0,
    );
    expect(refusal(() => rescheduleServiceRequest(request('requested'), '2029-01-01', at, wo)).rule).toBe('EXP-1');
  });
});

describe('REQ-60 and EXP-1 dates', () => {
  const term = { start: '2027-01-01', end: '2027-12-31' };

  it('REQ-60: a late request is refused with the lead days and the term end, for the whole request', () => {
    expect(refusal(() => assertRequestWindow(term, '2027-11-02'))).toEqual({
      rule: 'REQ-60',
      path: '',
      status: 422,
      message: 'Requests must be submitted at least 60 days before the Work Order ends on 2027-12-31.',
    });
  });

  it('EXP-1: a delivery may end on the last day of the term, not a day later; it may not start before the term', () => {
    expect(() => assertDeliveryWithinTerm(term, '2027-12-31')).not.toThrow();
    expect(() => assertDeliveryWithinTerm(term, '2027-12-29', 3)).not.toThrow();
    expect(() => assertDeliveryWithinTerm(term, '2027-12-31', 0)).not.toThrow(); // zero days is one day
    expect(refusal(() => assertDeliveryWithinTerm(term, '2027-12-30', 3))).toEqual({
      rule: 'EXP-1',
      path: 'startDate',
      status: 422,
      message: 'Services expire if not used during the Work Order term (2027-01-01 to 2027-12-31).',
    });
    expect(() => assertDeliveryWithinTerm(term, '2027-01-01')).not.toThrow();
    expect(refusal(() => assertDeliveryWithinTerm(term, '2026-12-31', 1, 'start')).path).toBe('start');
  });
});

describe('service request acceptance', () => {
  it('the body names its funding and delivery from fixed lists; credits only with credit funding', () => {
    for (const fundedBy of ['credits', 'flex', 'entitlement'])
      expect(serviceRequestInputSchema.safeParse(body({ fundedBy })).success).toBe(true);
    for (const delivery of ['remote', 'onsite'])
      expect(serviceRequestInputSchema.safeParse(body({ delivery })).success).toBe(true);
    expect(serviceRequestInputSchema.safeParse(body({ fundedBy: 'cash' })).success).toBe(false);
    expect(serviceRequestInputSchema.safeParse(body({ delivery: 'hybrid' })).success).toBe(false);
    expect(serviceRequestInputSchema.safeParse(body({ extra: 1 })).success).toBe(false);
    const credits = { country: 'NL', value: 10 };
    expect(serviceRequestInputSchema.safeParse(body({ fundedBy: 'credits', credits })).success).toBe(true);
    expect(
      serviceRequestInputSchema.safeParse(body({ fundedBy: 'credits', credits: { ...credits, extra: 1 } })).success,
    ).toBe(false);
    const wrong = serviceRequestInputSchema.safeParse(body({ fundedBy: 'flex', credits }));
    expect(wrong.success).toBe(false);
    expect(wrong.error?.issues).toEqual([
      expect.objectContaining({
        code: 'custom',
        path: ['credits'],
        message: 'credits are named only with fundedBy "credits"',
      }),
    ]);
  });

  it('PRO-2: remote unless sold on-site or agreed in writing', () => {
    expect(accept().request.delivery).toBe('remote');
    expect(refusal(() => accept({ delivery: 'onsite' }))).toEqual({
      rule: 'PRO-2',
      path: 'delivery',
      status: 422,
      message: 'On-site delivery must be agreed in writing (onsiteAgreed: true).',
    });
    expect(accept({ delivery: 'onsite', onsiteAgreed: true }).request.delivery).toBe('onsite');
    expect(accept({ delivery: 'remote' }).request.delivery).toBe('remote');
  });

  it('PRO-3: On-demand Assessment help is at most 1 day remote or 2 days on-site', () => {
    const help = (days: number, onsite = false) =>
      accept({
        serviceCode: 'ON_DEMAND_ASSESSMENT',
        fundedBy: 'credits',
        credits: { country: 'NL', value: 1 },
        days,
        ...(onsite ? { delivery: 'onsite', onsiteAgreed: true } : {}),
      });
    expect(help(1).request.days).toBe(1);
    expect(refusal(() => help(2))).toEqual({
      rule: 'PRO-3',
      path: 'days',
      status: 422,
      message: 'On-demand Assessment help is at most 1 day remote or 2 days on-site.',
    });
    expect(help(2, true).request.delivery).toBe('onsite');
    expect(refusal(() => help(3, true)).rule).toBe('PRO-3');
    // Another service is not limited this way.
    expect(accept({ days: 3, fundedBy: 'credits', credits: { country: 'NL', value: 1 } }).request.days).toBe(3);
  });

  it('MN-2: delivered at the Host or a Downstream location of the Work Order', () => {
    expect(accept().request.location).toBe('NL');
    expect(accept({ location: 'DE' }).request.location).toBe('DE');
    expect(refusal(() => accept({ location: 'FR' }))).toEqual({
      rule: 'MN-2',
      path: 'location',
      status: 422,
      message: 'FR is not a support location on this Work Order.',
    });
  });

  it('CRED-1: credits named are held; credit funding without credits holds nothing; the entitlement is untouched', () => {
    const held = accept({ fundedBy: 'credits', credits: { country: 'NL', value: 12.5 } });
    expect(held.request).toMatchObject({ creditsHeld: { country: 'NL', credits: 13 }, quantity: 0 });
    expect(held.creditBalances).toEqual({ NL: 87 });
    expect(held.entitlements).toEqual(workOrder.entitlements);
    const none = accept({ fundedBy: 'credits' });
    expect(none.request.creditsHeld).toBeUndefined();
    expect(none.creditBalances).toEqual({ NL: 100 });
    expect(workOrder.creditBalances).toEqual({ NL: 100 }); // the Work Order itself is not changed
  });

  it("FLEX-3: a flex-funded request stays within its year's allocations to the service, with the year's other requests", () => {
    const flex = (price: number, over: Record<string, unknown> = {}, open: Parameters<typeof accept>[1] = []) =>
      accept({ fundedBy: 'flex', price, ...over }, open);
    // Year 1 allocates 10,000 + 5,000 to WORKSHOP (year 2's 1,000 and other services' do not count).
    expect(flex(15_000).request.flexYear).toBe(1);
    expect(refusal(() => flex(15_001))).toEqual({
      rule: 'FLEX-3',
      path: 'price',
      status: 422,
      message: 'Flex year 1 allocates 15000 to WORKSHOP; 0 is already held or used, 15001 requested.',
    });
    const open = [
      { serviceCode: 'WORKSHOP', price: 4_000, flexYear: 1, startDate: '2027-04-01' },
      { serviceCode: 'WORKSHOP', price: 1_000, startDate: '2027-06-01' }, // year taken from its start
      { serviceCode: 'WORKSHOP', price: 9_000, startDate: '2028-02-01' }, // year 2: does not count
      { serviceCode: 'CHALK_TALK', price: 9_000, flexYear: 1, startDate: '2027-04-01' },
    ];
    expect(flex(10_000, {}, open).request.flexYear).toBe(1);
    expect(refusal(() => flex(10_001, {}, open)).message).toContain('5000 is already held or used');
    // Custom proactive services draw on the customProactive allocation.
    expect(flex(2_000, { serviceCode: 'CUSTOM_PROACTIVE' }).request.flexYear).toBe(1);
    expect(refusal(() => flex(2_001, { serviceCode: 'CUSTOM_PROACTIVE' })).rule).toBe('FLEX-3');
    // Without the open requests argument nothing is held.
    expect(acceptServiceRequest(workOrder, body({ fundedBy: 'flex', price: 15_000 }), at).request.flexYear).toBe(1);
  });
});

describe('CANCEL-14 and PRO-4 cancellations', () => {
  it('CANCEL-14: a waiver needs a cancelled request with a fee (409 otherwise, for the whole request)', () => {
    expect(refusal(() => decideFeeWaiver({ status: 'scheduled', maxCancellationFee: 10 }, 'x'))).toEqual({
      rule: 'CANCEL-14',
      path: '',
      status: 409,
      message: 'Only a cancelled request can have its cancellation fee waived.',
    });
    expect(refusal(() => decideFeeWaiver({ status: 'cancelled', maxCancellationFee: 0 }, 'x'))).toEqual({
      rule: 'CANCEL-14',
      path: '',
      status: 409,
      message: 'This cancellation carries no fee to waive.',
    });
    expect(decideFeeWaiver({ status: 'cancelled', maxCancellationFee: 10 }, 'goodwill')).toEqual({
      feeWaived: true,
      waiverReason: 'goodwill',
    });
  });

  it('CANCEL-14: a cancellation decides status, fee and days before the start', () => {
    const request = { status: 'scheduled' as const, startDate: '2027-05-03', price: 500 };
    expect(decideCancellation(request, new Date('2027-04-20T09:00:00Z'), 'Europe/Amsterdam')).toMatchObject({
      status: 'cancelled',
      maxCancellationFee: 500,
      daysBeforeStart: 13,
    });
    expect(decideCancellation(request, new Date('2027-04-19T09:00:00Z'), 'Europe/Amsterdam')).toMatchObject({
      maxCancellationFee: 0,
      daysBeforeStart: 14,
    });
  });

  it('PRO-4: only a scheduled workshop below its minimum enrolment may be cancelled by the provider', () => {
    expect(
      refusal(() => assertWorkshopMayBeCancelledForEnrolment({ serviceCode: 'CHALK_TALK', status: 'scheduled' })),
    ).toEqual({
      rule: 'PRO-4',
      path: 'reason',
      status: 422,
      message: 'Only a workshop can be cancelled for lack of enrolment.',
    });
    expect(
      refusal(() => assertWorkshopMayBeCancelledForEnrolment({ serviceCode: 'WORKSHOP', status: 'requested' })),
    ).toEqual({
      rule: 'PRO-4',
      path: 'reason',
      status: 409,
      message: 'Only a scheduled workshop can be cancelled for lack of enrolment.',
    });
    const scheduled = { serviceCode: 'WORKSHOP', status: 'scheduled' as const };
    expect(() => assertWorkshopMayBeCancelledForEnrolment(scheduled)).not.toThrow();
    expect(() =>
      assertWorkshopMayBeCancelledForEnrolment(scheduled, { enrolled: 4, minimumEnrolment: 5 }),
    ).not.toThrow();
    expect(
      refusal(() => assertWorkshopMayBeCancelledForEnrolment(scheduled, { enrolled: 5, minimumEnrolment: 5 })),
    ).toEqual({
      rule: 'PRO-4',
      path: 'enrolled',
      status: 422,
      message: 'The workshop reached its minimum enrolment.',
    });
  });
});
