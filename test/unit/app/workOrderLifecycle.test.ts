// The Work Order's own use cases on in-memory ports: creation (FLEX-6 forfeiture on the timeline, the term's due items
// and lifecycle), termination (EXP-1: bookings after the last day given back in the same write, their
// lifecycles told (rules.md section 9); a lifecycle that cannot be told never undoes it), the term steps (FLEX-3 lapse, EXP-1 expiry,
// REQ-60 reminder: each once) and the daily sweep's repairs.
import { describe, expect, it } from 'vitest';
import { bookAemEvent } from '../../../app/aemEvents';
import { bookCyberEngagement } from '../../../app/cyberEngagements';
import { createServiceRequest } from '../../../app/serviceRequests';
import { sweepDueLifecycles } from '../../../app/sweepDueLifecycles';
import {
  closeFlexPeriod,
  createWorkOrder,
  expireWorkOrder,
  sendRequestWindowReminder,
  terminateWorkOrder,
  type TermStep,
} from '../../../app/workOrders';
import type { AemBookingRecord } from '../../../domain/aem/aemRecord';
import { RuleViolation } from '../../../domain/ruleViolation';
import { findEntitlement } from '../../../domain/workOrder/entitlements';
import { workOrderInputSchema } from '../../../domain/workOrder/workOrderSchema';
import { WORK_ORDER_TERM, WORK_ORDER_TERMINATED } from '../../../orchestrations/workOrderTerm/names';
import { memoryServices } from '../../support/memoryPorts';
import { workOrderBody } from '../../support/workOrderFixtures';

const input = workOrderInputSchema.parse(
  workOrderBody({
    flexAllocations: [
      { year: 1, target: 'service', serviceCode: 'WORKSHOP', amount: 100_000 },
      { year: 2, target: 'proactiveCredits', amount: 50_000 },
    ],
    entitlements: [
      { serviceCode: 'AEM', quantity: 4 },
      { serviceCode: 'CYBER_INCIDENT_RESPONSE', days: 15 },
      { serviceCode: 'WORKSHOP', quantity: 3 },
    ],
  }),
);

async function created(now = '2027-02-01T09:00:00Z') {
  const ports = memoryServices(now);
  const { workOrder } = await createWorkOrder(ports.services, ports.lifecycles, input);
  return { ...ports, id: workOrder.id };
}

const stepOf = (ports: Awaited<ReturnType<typeof created>>, kind: string): TermStep => {
  const item = ports.dueIndex.open().find((i) => i.kind === kind)!;
  const { years, yearIndex } = item.restartInput as {
    years: Array<{ year: number; events: TermStep['event'][] }>;
    yearIndex: number;
  };
  const year = years[yearIndex]!;
  const event = year.events.find((e) => e.kind === kind && e.at === item.dueAt)!;
  return { workOrderId: ports.id, year: year.year, event };
};

describe('Work Order lifecycle (app)', () => {
  it('FLEX-6: creation records the forfeited allowance, indexes every dated promise and starts the term lifecycle', async () => {
    const ports = await created();
    expect(ports.workOrders.timelineOf(ports.id).map((t) => [t.kind, t.rule ?? null])).toEqual([
      ['workOrderCreated', null],
      ['flexForfeited', 'FLEX-6'],
      ['flexForfeited', 'FLEX-6'],
    ]);
    expect(ports.workOrders.timelineOf(ports.id)[2]?.detail).toContain('Flex year 2: 100000 USD');
    expect(ports.lifecycles.started).toEqual([
      {
        orchestration: WORK_ORDER_TERM,
        instanceId: expect.stringContaining(ports.id),
        input: expect.objectContaining({ yearIndex: 0 }),
      },
    ]);
    const kinds = ports.dueIndex.open().map((i) => i.kind);
    expect(kinds.filter((k) => k === 'flexPeriodEnded')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'termEnded')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'requestWindowReminder')).toHaveLength(2);
  });

  it('EXP-1: termination cuts what lies after its last day in the same write and tells each lifecycle', async () => {
    const ports = await created();
    const { services, lifecycles, workOrders, id } = ports;
    const early = {
      solutionName: 'a',
      cloud: 'AzurePublic' as const,
      start: '2027-04-05',
      days: 5,
      confirmedAt: '2027-02-01',
    };
    await bookAemEvent(services, lifecycles, id, early, {});
    const late = await bookAemEvent(services, lifecycles, id, { ...early, solutionName: 'b', start: '2027-09-06' }, {});
    await bookCyberEngagement(
      services,
      lifecycles,
      id,
      {
        offering: 'CYBER_INCIDENT_RESPONSE',
        start: '2027-08-02',
        days: 5,
        timeZone: 'Europe/Amsterdam',
      },
      {},
    );
    const request = await createServiceRequest(
      services,
      id,
      {
        serviceCode: 'WORKSHOP',
        startDate: '2027-10-04',
        days: 1,
        price: 1000,
        fundedBy: 'entitlement',
      },
      {},
    );
    const failures: string[] = [];
    lifecycles.failSignals = true; // the hub is unreachable: the termination stands, the failure is heard
    const done = await terminateWorkOrder(
      services,
      lifecycles,
      id,
      { at: '2027-06-30', reason: 'merger' },
      {},
      (what) => failures.push(what),
    );
    expect(done.workOrder).toMatchObject({ terminatesOn: '2027-06-30', terminationReason: 'merger' });
    const after = workOrders.current(id);
    expect(findEntitlement(after.entitlements, 'AEM')).toMatchObject({ reserved: 1, endsOn: '2027-06-30' });
    expect(findEntitlement(after.entitlements, 'CYBER_INCIDENT_RESPONSE').reserved).toBe(0);
    expect(findEntitlement(after.entitlements, 'WORKSHOP').reserved).toBe(0);
    expect(workOrders.requests.get(request.result.id)?.status).toBe('cancelled');
    expect((await workOrders.findResource<AemBookingRecord>('aem', late.id))?.data.phase).toBe('cancelled');
    expect(failures).toEqual([
      'its term lifecycle could not be told',
      `AEM event ${late.id} could not be told`,
      expect.stringMatching(/^cyber engagement .* could not be told$/),
    ]);
    expect(workOrders.timelineOf(id).find((t) => t.kind === 'workOrderTerminated')?.rule).toBe('EXP-1');
    // The due index now holds the shortened term's end.
    expect(ports.dueIndex.open().some((i) => i.kind === 'termEnded' && i.dueAt === '2027-06-30T22:00:00.000Z')).toBe(
      true,
    );

    lifecycles.failSignals = false;
    const again = await terminateWorkOrder(
      services,
      lifecycles,
      id,
      { at: '2027-07-31', reason: 'x' },
      {},
      () => {},
    ).catch((e) => e);
    expect(again).toBeInstanceOf(RuleViolation);
    expect(again).toMatchObject({ rule: 'EXP-1', status: 409 });
  });

  it('EXP-1: termination signals the term lifecycle with the shortened years when it can be told', async () => {
    const ports = await created();
    await terminateWorkOrder(ports.services, ports.lifecycles, ports.id, { at: '2027-06-30', reason: 'r' }, {}, () => {
      throw new Error('no signal should fail');
    });
    expect(ports.lifecycles.signals).toEqual([
      {
        instanceId: expect.stringContaining(ports.id),
        event: WORK_ORDER_TERMINATED,
        data: expect.objectContaining({ at: '2027-06-30', reason: 'r' }),
      },
    ]);
  });

  it('FLEX-3: closing a flex year records what lapsed once; the due item is done', async () => {
    const ports = await created();
    await createServiceRequest(
      ports.services,
      ports.id,
      {
        serviceCode: 'WORKSHOP',
        startDate: '2027-05-03',
        days: 1,
        price: 30_000,
        fundedBy: 'flex',
      },
      {},
    );
    const step = stepOf(ports, 'flexPeriodEnded');
    const notice = await closeFlexPeriod(ports.services, step);
    expect(notice).toMatchObject({ rule: 'FLEX-3', year: 1, allocated: 100_000, used: 30_000, lapsed: 70_000 });
    expect(await closeFlexPeriod(ports.services, step)).toEqual(notice);
    expect(ports.workOrders.timelineOf(ports.id).filter((t) => t.kind === 'flexPeriodClosed')).toHaveLength(1);
    expect(ports.dueIndex.open().filter((i) => i.kind === 'flexPeriodEnded')).toHaveLength(1);
  });

  it('REQ-60: the reminder lists what is unused while active; EXP-1: at the term end everything unused expires', async () => {
    const ports = await created();
    const reminder = await sendRequestWindowReminder(ports.services, stepOf(ports, 'requestWindowReminder'));
    expect(reminder).toMatchObject({ rule: 'REQ-60', closesAfter: '2028-11-01', daysBeforeClose: 30 });
    expect(reminder?.unused).toEqual(
      expect.arrayContaining([{ serviceCode: 'AEM', remaining: 4, unit: expect.any(String) }]),
    );
    const end = stepOf(ports, 'termEnded');
    const expired = await expireWorkOrder(ports.services, end);
    expect(expired).toMatchObject({ kind: 'workOrderExpired', rule: 'EXP-1' });
    expect(ports.workOrders.current(ports.id).status).toBe('expired');
    expect(findEntitlement(ports.workOrders.current(ports.id).entitlements, 'AEM')).toMatchObject({
      expired: 4,
      remaining: 0,
    });
    // After expiry no reminder is sent.
    expect(await sendRequestWindowReminder(ports.services, stepOf(ports, 'requestWindowReminder'))).toBeNull();
  });

  it('the sweep restarts an orchestration that is missing while its promise is overdue, records the repair once', async () => {
    const ports = await created('2027-02-01T09:00:00Z');
    ports.lifecycles.statuses.clear(); // the term orchestration was purged
    const lines: string[] = [];
    ports.dueIndex.cursor = '2027-01-01T00:00:00Z';
    ports.clock.at = new Date('2028-01-01T12:00:00Z'); // year 1's flex period ended at midnight
    await sweepDueLifecycles(ports.services, ports.lifecycles, (l) => lines.push(l));
    expect(ports.lifecycles.started.map((s) => s.orchestration)).toEqual([WORK_ORDER_TERM, WORK_ORDER_TERM]);
    expect(ports.dueIndex.repairs).toEqual([expect.objectContaining({ action: 'restarted', kind: 'flexPeriodEnded' })]);
    expect(ports.workOrders.timelineOf(ports.id).filter((t) => t.kind === 'lifecycleRepaired')).toHaveLength(1);
    expect(ports.dueIndex.cursor).toBe('2028-01-01T11:00:00.000Z');
    // The restarted orchestration is running: a second sweep leaves it alone.
    await sweepDueLifecycles(ports.services, ports.lifecycles, (l) => lines.push(l));
    expect(ports.lifecycles.started).toHaveLength(2);
    expect(lines.at(-1)).toMatch(/0 lifecycle\(s\) restarted/);
  });
});
