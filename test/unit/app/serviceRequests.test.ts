// The service-request use cases on in-memory ports: what they reserve, consume and release (ENT-1), hold and give
// back (CRED-1, CRED-2), how a lost ETag race is decided again on fresh data, and how a refusal maps to a
// RuleViolation with nothing written.
import { describe, expect, it } from 'vitest';
import { dryRun, DryRunStop } from '../../../app/dryRun';
import { NotFound, StaleVersion } from '../../../app/errors';
import {
  cancelServiceRequest,
  createServiceRequest,
  deliverServiceRequest,
  rescheduleServiceRequest,
  scheduleServiceRequest,
  waiveCancellationFee,
} from '../../../app/serviceRequests';
import { RuleViolation } from '../../../domain/ruleViolation';
import { findEntitlement, reserve } from '../../../domain/workOrder/entitlements';
import { acceptWorkOrder } from '../../../domain/workOrder/workOrderView';
import { memoryServices } from '../../support/memoryPorts';
import { workOrderBody } from '../../support/workOrderFixtures';

const workOrder = acceptWorkOrder(
  workOrderBody({
    downstream: [{ country: 'DE', timeZone: 'Europe/Berlin' }],
    flexAllocations: [{ year: 1, target: 'service', serviceCode: 'WORKSHOP', amount: 100_000 }],
    entitlements: [{ serviceCode: 'WORKSHOP', quantity: 3 }],
    proactiveCredits: { NL: 200 },
  }),
  { id: 'wo-1', asOf: '2027-03-01' },
);

function setup(now = '2027-03-01T09:00:00Z') {
  const ports = memoryServices(now);
  ports.workOrders.seed(workOrder);
  return ports;
}

const workshop = (over: Record<string, unknown> = {}) =>
  ({
    serviceCode: 'WORKSHOP',
    startDate: '2027-05-03',
    days: 1,
    price: 9000,
    fundedBy: 'entitlement',
    ...over,
  }) as Parameters<typeof createServiceRequest>[2];

async function refusal(run: Promise<unknown>) {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RuleViolation);
  const { rule, path, status } = error as RuleViolation;
  return { rule, path, status };
}

describe('service requests (app) on in-memory ports', () => {
  it('ENT-1: a request reserves its entitlement, delivery consumes it, a cancellation gives it back', async () => {
    const { services, workOrders } = setup();
    const first = await createServiceRequest(services, 'wo-1', workshop(), {});
    const second = await createServiceRequest(services, 'wo-1', workshop({ startDate: '2027-06-07' }), {});
    expect(first.result).toMatchObject({ status: 'requested', delivery: 'remote', location: 'NL' });
    expect(findEntitlement(workOrders.current('wo-1').entitlements, 'WORKSHOP')).toMatchObject({
      reserved: 2,
      consumed: 0,
      remaining: 1,
    });
    expect(workOrders.requests.get(first.result.id)).toMatchObject({ status: 'requested', quantity: 1 });
    expect(workOrders.timelineOf('wo-1').map((t) => t.rule)).toEqual(['ENT-1', 'ENT-1']);

    await scheduleServiceRequest(services, first.result.id, {});
    expect(await deliverServiceRequest(services, first.result.id, {})).toEqual({
      id: first.result.id,
      status: 'delivered',
    });
    const cancelled = await cancelServiceRequest(services, second.result.id, {}, {});
    expect(cancelled).toMatchObject({ status: 'cancelled', maxCancellationFee: 0, feeWaived: false });
    expect(findEntitlement(workOrders.current('wo-1').entitlements, 'WORKSHOP')).toMatchObject({
      reserved: 0,
      consumed: 1,
      remaining: 2,
    });
    expect(workOrders.requests.get(second.result.id)?.status).toBe('cancelled');
    expect(workOrders.timelineOf('wo-1').map((t) => t.kind)).toEqual([
      'serviceRequested',
      'serviceRequested',
      'serviceScheduled',
      'serviceDelivered',
      'serviceCancelled',
    ]);
  });

  it('ENT-1 on a lost race: the reservation is decided again on the Work Order the other writer left', async () => {
    const { services, workOrders } = setup();
    // Another request reserves 2 of the 3 workshops between this request's read and its write.
    workOrders.conflictOnce((current) => ({ ...current, entitlements: reserve(current.entitlements, 'WORKSHOP', 2) }));
    await createServiceRequest(services, 'wo-1', workshop(), {});
    expect(workOrders.conflicts).toBe(1);
    expect(findEntitlement(workOrders.current('wo-1').entitlements, 'WORKSHOP')).toMatchObject({
      reserved: 3,
      remaining: 0,
    });
    // Now nothing remains: refused with ENT-1 after the race, and nothing is written.
    workOrders.conflictOnce();
    const before = workOrders.writes.length;
    expect(await refusal(createServiceRequest(services, 'wo-1', workshop(), {}))).toMatchObject({ rule: 'ENT-1' });
    expect(workOrders.writes).toHaveLength(before);
  });

  it('CRED-1, CRED-2: credits are held at the request, deducted at delivery and given back at a cancellation', async () => {
    const { services, workOrders } = setup();
    const credits = (value: number) => workshop({ fundedBy: 'credits', credits: { country: 'NL', value } });
    const held = await createServiceRequest(services, 'wo-1', credits(120.5), {});
    expect(held.result.creditsHeld).toEqual({ country: 'NL', credits: 121 }); // CRED-1: a half rounds up
    expect(workOrders.current('wo-1').creditBalances).toEqual({ NL: 79 });
    expect(await refusal(createServiceRequest(services, 'wo-1', credits(80), {}))).toMatchObject({
      rule: 'CRED-2',
      path: 'value',
    });
    const other = await createServiceRequest(services, 'wo-1', credits(79), {});
    expect(workOrders.current('wo-1').creditBalances).toEqual({ NL: 0 });

    expect(await cancelServiceRequest(services, other.result.id, {}, {})).toMatchObject({
      creditsReleased: { country: 'NL', credits: 79 },
    });
    await scheduleServiceRequest(services, held.result.id, {});
    await deliverServiceRequest(services, held.result.id, {});
    expect(workOrders.current('wo-1').creditBalances).toEqual({ NL: 79 });
    expect(workOrders.ledgerOf('wo-1').map((l) => [l.kind, l.credits, l.balanceAfter])).toEqual([
      ['hold', 121, 79],
      ['hold', 79, 0],
      ['release', 79, 79],
      ['redemption', 121, 79],
    ]);
    // The entitlement was not touched by credit-funded requests.
    expect(findEntitlement(workOrders.current('wo-1').entitlements, 'WORKSHOP').reserved).toBe(0);
  });

  it('FLEX-3: a flex-funded request names its flex year and reserves no entitlement', async () => {
    const { services, workOrders } = setup();
    const flex = await createServiceRequest(services, 'wo-1', workshop({ fundedBy: 'flex' }), {});
    expect(flex.result.flexYear).toBe(1);
    expect(workOrders.timelineOf('wo-1')[0]?.rule).toBe('FLEX-3');
    expect(findEntitlement(workOrders.current('wo-1').entitlements, 'WORKSHOP').reserved).toBe(0);
    expect(
      await refusal(
        createServiceRequest(services, 'wo-1', workshop({ fundedBy: 'flex', startDate: '2028-02-01' }), {}),
      ),
    ).toMatchObject({ rule: 'FLEX-3' });
  });

  it('REQ-60: a request after the window is refused with its rule and nothing is written', async () => {
    const { services, workOrders } = setup('2028-11-02T09:00:00Z');
    expect(
      await refusal(createServiceRequest(services, 'wo-1', workshop({ startDate: '2028-12-01' }), {})),
    ).toMatchObject({ rule: 'REQ-60' });
    expect(workOrders.writes).toHaveLength(0);
    expect(workOrders.requests.size).toBe(0);
  });

  it('EXP-1: an expired Work Order refuses a request, yet a cancellation still gives back what was held', async () => {
    const { services, workOrders, clock } = setup();
    const made = await createServiceRequest(services, 'wo-1', workshop({ startDate: '2028-12-20' }), {});
    clock.at = new Date('2029-01-02T09:00:00Z');
    expect(await refusal(createServiceRequest(services, 'wo-1', workshop(), {}))).toMatchObject({
      rule: 'EXP-1',
      status: 409,
    });
    await cancelServiceRequest(services, made.result.id, { at: '2028-12-01T09:00:00Z' }, {});
    expect(findEntitlement(workOrders.current('wo-1').entitlements, 'WORKSHOP').reserved).toBe(0);
  });

  it('CANCEL-14: a late cancellation of a scheduled request costs its price unless waived; the waiver is recorded once', async () => {
    const { services, workOrders } = setup('2027-04-26T09:00:00Z');
    const made = await createServiceRequest(services, 'wo-1', workshop(), {});
    await scheduleServiceRequest(services, made.result.id, {});
    expect(await cancelServiceRequest(services, made.result.id, {}, {})).toMatchObject({ maxCancellationFee: 9000 });
    expect(await waiveCancellationFee(services, made.result.id, { reason: 'goodwill' }, {})).toMatchObject({
      feeWaived: true,
      waiverReason: 'goodwill',
      maxCancellationFee: 9000,
    });
    expect(await waiveCancellationFee(services, made.result.id, { reason: 'again' }, {})).toMatchObject({
      waiverReason: 'goodwill',
    });
    expect(workOrders.timelineOf('wo-1').filter((t) => t.kind === 'cancellationFeeWaived')).toHaveLength(1);
  });

  it('CANCEL-14: rescheduling a scheduled request within 14 days of its first day records the fee it could cost', async () => {
    const { services, workOrders } = setup('2027-04-26T09:00:00Z');
    const made = await createServiceRequest(services, 'wo-1', workshop(), {});
    await scheduleServiceRequest(services, made.result.id, {});
    expect(await rescheduleServiceRequest(services, made.result.id, { startDate: '2027-06-01' }, {})).toEqual({
      id: made.result.id,
      status: 'scheduled',
      startDate: '2027-06-01',
      maxCancellationFee: 9000,
    });
    expect(workOrders.requests.get(made.result.id)?.reschedules).toEqual([
      { at: '2027-04-26T09:00:00.000Z', from: '2027-05-03', to: '2027-06-01', maxCancellationFee: 9000 },
    ]);
  });

  it('SCHED-1: a request delivered before it was scheduled is a 409 conflict, and nothing changes', async () => {
    const { services, workOrders } = setup();
    const made = await createServiceRequest(services, 'wo-1', workshop(), {});
    const writes = workOrders.writes.length;
    expect(await refusal(deliverServiceRequest(services, made.result.id, {}))).toMatchObject({
      rule: 'SCHED-1',
      status: 409,
    });
    expect(workOrders.writes).toHaveLength(writes);
  });

  it('If-Match: a stale version answers StaleVersion at once (no retry); the current one commits', async () => {
    const { services, workOrders } = setup();
    const made = await createServiceRequest(services, 'wo-1', workshop(), {});
    await expect(scheduleServiceRequest(services, made.result.id, { ifMatch: 'W/"1"' })).rejects.toBeInstanceOf(
      StaleVersion,
    );
    const etag = (await workOrders.get('wo-1'))!.etag;
    workOrders.conflictOnce(); // a writer that commits in between: an If-Match request is not retried
    await expect(scheduleServiceRequest(services, made.result.id, { ifMatch: etag })).rejects.toBeInstanceOf(
      StaleVersion,
    );
    expect(workOrders.requests.get(made.result.id)?.status).toBe('requested');
    const fresh = (await workOrders.get('wo-1'))!.etag;
    await scheduleServiceRequest(services, made.result.id, { ifMatch: fresh });
    expect(workOrders.requests.get(made.result.id)?.status).toBe('scheduled');
  });

  it('a what-if decides as the real request does and writes nothing; an unknown request is NotFound', async () => {
    const { services, workOrders } = setup();
    const stop = await dryRun(() => createServiceRequest(services, 'wo-1', workshop(), {})).catch((e: unknown) => e);
    expect(stop).toBeInstanceOf(DryRunStop);
    expect(findEntitlement((stop as DryRunStop).capture.workOrder.entitlements, 'WORKSHOP').reserved).toBe(1);
    expect(workOrders.writes).toHaveLength(0);
    await expect(scheduleServiceRequest(services, 'missing', {})).rejects.toBeInstanceOf(NotFound);
    await expect(createServiceRequest(services, 'wo-2', workshop(), {})).rejects.toBeInstanceOf(NotFound);
  });
});
