// AEM bookings and cybersecurity engagements as the use cases drive them on in-memory ports: what a booking reserves
// (ENT-1), what each lifecycle step consumes or gives back, that a replayed step changes nothing (activities run at
// least once), and which due items and lifecycles they start.
import { describe, expect, it } from 'vitest';
import {
  bookAemEvent,
  cancelAemEvent,
  requestAemEventCancellation,
  startAemPhase,
  type AemStep,
} from '../../../app/aemEvents';
import {
  acknowledgeCyberEngagement,
  bookCyberEngagement,
  cancelCyberEngagement,
  closeCyberEngagement,
  extendCyberEngagement,
  lapseCyberDeliverables,
  recordCyberDayDelivered,
} from '../../../app/cyberEngagements';
import { aemSteps, type AemBookingRecord } from '../../../domain/aem/aemRecord';
import { cyberSteps, type CyberEngagementRecord } from '../../../domain/cyber/cyberRecord';
import type { PhasedStep } from '../../../domain/lifecycle/phasedSteps';
import { RuleViolation } from '../../../domain/ruleViolation';
import { findEntitlement } from '../../../domain/workOrder/entitlements';
import { acceptWorkOrder } from '../../../domain/workOrder/workOrderView';
import { AEM_EVENT_LIFECYCLE, CYBER_ENGAGEMENT_LIFECYCLE } from '../../../orchestrations/phasedLifecycle/names';
import { memoryServices } from '../../support/memoryPorts';
import { workOrderBody } from '../../support/workOrderFixtures';

const workOrder = acceptWorkOrder(
  workOrderBody({
    entitlements: [
      { serviceCode: 'AEM', quantity: 3 },
      { serviceCode: 'CYBER_INCIDENT_RESPONSE', days: 15 },
    ],
  }),
  { id: 'wo-1', asOf: '2027-03-01' },
);

function setup(now = '2027-03-01T09:00:00Z') {
  const ports = memoryServices(now);
  ports.workOrders.seed(workOrder);
  return ports;
}

const balance = (ports: ReturnType<typeof setup>, code: 'AEM' | 'CYBER_INCIDENT_RESPONSE') =>
  findEntitlement(ports.workOrders.current('wo-1').entitlements, code);

const aemStep = (resourceId: string, step: PhasedStep): AemStep => ({
  resourceId,
  workOrderId: 'wo-1',
  phase: step.phase,
  at: step.at,
  input: step.input as AemStep['input'],
});

const aemRequest = {
  solutionName: 'checkout',
  cloud: 'AzurePublic' as const,
  start: '2027-06-07',
  days: 7,
  confirmedAt: '2027-03-01',
};

describe('AEM bookings (app)', () => {
  it('AEM-2, ENT-1: a booking reserves one event per window, indexes its steps and starts its lifecycle', async () => {
    const ports = setup();
    const record = await bookAemEvent(ports.services, ports.lifecycles, 'wo-1', aemRequest, {});
    expect(record.events).toHaveLength(2);
    expect(balance(ports, 'AEM')).toMatchObject({ reserved: 2, consumed: 0, remaining: 1 });
    expect(ports.lifecycles.started).toEqual([
      { orchestration: AEM_EVENT_LIFECYCLE, instanceId: expect.stringContaining(record.id), input: expect.anything() },
    ]);
    expect(ports.dueIndex.open().map((i) => i.kind)).toEqual([
      'aem:assessment',
      'aem:live',
      'aem:live:1',
      'aem:postEvent',
    ]);
    expect(ports.workOrders.timelineOf('wo-1').map((t) => t.rule)).toEqual(['AEM-2']);
    // Only one event is left: a booking needing two is refused (ENT-1) and reserves nothing.
    const refused = await bookAemEvent(ports.services, ports.lifecycles, 'wo-1', aemRequest, {}).catch((e) => e);
    expect(refused).toBeInstanceOf(RuleViolation);
    expect((refused as RuleViolation).rule).toBe('ENT-1');
    expect(balance(ports, 'AEM').reserved).toBe(2);
    expect(ports.lifecycles.started).toHaveLength(1);
  });

  it('AEM-6, ENT-1: each event is consumed when its own window starts, once however often the step runs', async () => {
    const ports = setup();
    const record = await bookAemEvent(ports.services, ports.lifecycles, 'wo-1', aemRequest, {});
    const steps = aemSteps(record);
    const stepOf = (i: number) => aemStep(record.id, steps[i]!);
    const assessment = await startAemPhase(ports.services, stepOf(0));
    expect(assessment).toMatchObject({ kind: 'aemPhaseStarted', phase: 'assessment' });
    expect(balance(ports, 'AEM')).toMatchObject({ reserved: 2, consumed: 0 });
    await startAemPhase(ports.services, stepOf(1));
    expect(await startAemPhase(ports.services, stepOf(1))).toMatchObject({ phase: 'live' }); // replayed
    expect(balance(ports, 'AEM')).toMatchObject({ reserved: 1, consumed: 1 });
    expect(await startAemPhase(ports.services, stepOf(2))).toBeNull(); // the second event: no second notice
    await startAemPhase(ports.services, stepOf(2));
    expect(balance(ports, 'AEM')).toMatchObject({ reserved: 0, consumed: 2, remaining: 1 });
    expect((await ports.workOrders.findResource<AemBookingRecord>('aem', record.id))?.data.consumed).toBe(2);
    expect(ports.workOrders.timelineOf('wo-1').map((t) => t.rule)).toEqual(['AEM-2', 'AEM-5', 'AEM-6', 'AEM-6']);
    expect(ports.dueIndex.open().map((i) => i.kind)).toEqual(['aem:postEvent']);
  });

  it('AEM-8: a cancellation releases the events not yet consumed; once past live it can no longer be asked for', async () => {
    const ports = setup();
    const record = await bookAemEvent(ports.services, ports.lifecycles, 'wo-1', aemRequest, {});
    const steps = aemSteps(record);
    for (const step of steps.slice(0, 2)) await startAemPhase(ports.services, aemStep(record.id, step));
    expect(
      await requestAemEventCancellation(ports.services, ports.lifecycles, record.id, { reason: 'no access' }),
    ).toEqual({ id: record.id, status: 'cancelling' });
    expect(ports.lifecycles.signals).toHaveLength(1);
    const input = { resourceId: record.id, workOrderId: 'wo-1', at: '2027-06-08T10:00:00Z', reason: 'no access' };
    const notice = await cancelAemEvent(ports.services, { ...input, remaining: steps.slice(2) });
    expect(notice).toMatchObject({ kind: 'aemEventCancelled', phase: 'cancelled' });
    // Replayed: the same notice again (consumers de-duplicate on its id), nothing released twice.
    expect(await cancelAemEvent(ports.services, input)).toEqual(notice);
    expect(balance(ports, 'AEM')).toMatchObject({ reserved: 0, consumed: 1, remaining: 2 });
    expect(ports.dueIndex.open()).toEqual([]);
    const refused = await requestAemEventCancellation(ports.services, ports.lifecycles, record.id, {
      reason: 'x',
    }).catch((e) => e);
    expect(refused).toMatchObject({ rule: 'AEM-8', status: 409 });
    expect(ports.lifecycles.signals).toHaveLength(1);
  });
});

const cyberRequest = {
  offering: 'CYBER_INCIDENT_RESPONSE' as const,
  start: '2027-06-07',
  days: 5,
  timeZone: 'Europe/Amsterdam',
};

describe('cybersecurity engagements (app)', () => {
  it('CYB-3, ENT-1: booking reserves the days, each delivered day is drawn down once, a cancellation gives back the rest', async () => {
    const ports = setup();
    const record = await bookCyberEngagement(ports.services, ports.lifecycles, 'wo-1', cyberRequest, {});
    expect(balance(ports, 'CYBER_INCIDENT_RESPONSE')).toMatchObject({ reserved: 5, remaining: 10 });
    expect(ports.lifecycles.started.map((s) => s.orchestration)).toEqual([CYBER_ENGAGEMENT_LIFECYCLE]);
    const steps = cyberSteps(record);
    const day = (i: number) => ({
      resourceId: record.id,
      workOrderId: 'wo-1',
      phase: steps[i]!.phase,
      at: steps[i]!.at,
      input: steps[i]!.input as { date: string },
    });
    await recordCyberDayDelivered(ports.services, day(0));
    await recordCyberDayDelivered(ports.services, day(0)); // replayed
    await recordCyberDayDelivered(ports.services, { ...day(1), input: { date: '2027-06-05' } }); // not a scheduled day
    expect(balance(ports, 'CYBER_INCIDENT_RESPONSE')).toMatchObject({ reserved: 4, consumed: 1, remaining: 10 });
    await cancelCyberEngagement(ports.services, {
      resourceId: record.id,
      workOrderId: 'wo-1',
      at: day(1).at,
      reason: null,
    });
    expect(balance(ports, 'CYBER_INCIDENT_RESPONSE')).toMatchObject({ reserved: 0, consumed: 1, remaining: 14 });
    const stored = (await ports.workOrders.findResource<CyberEngagementRecord>('cyber', record.id))?.data;
    expect(stored).toMatchObject({ status: 'cancelled', deliveredDates: ['2027-06-07'] });
    // A cancelled engagement draws nothing down any more.
    await recordCyberDayDelivered(ports.services, day(1));
    expect(balance(ports, 'CYBER_INCIDENT_RESPONSE').consumed).toBe(1);
  });

  it('CYB-3: an extension reserves its whole 5-day blocks and reschedules the lifecycle', async () => {
    const ports = setup();
    const record = await bookCyberEngagement(ports.services, ports.lifecycles, 'wo-1', cyberRequest, {});
    const extended = await extendCyberEngagement(ports.services, ports.lifecycles, record.id, { blocks: 1 }, {});
    expect(extended).toMatchObject({ days: 10, extensionBlocks: 1 });
    expect(balance(ports, 'CYBER_INCIDENT_RESPONSE')).toMatchObject({ reserved: 10, remaining: 5 });
    expect(ports.lifecycles.signals).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ kind: 'rescheduled' }) }),
    ]);
    const refused = await extendCyberEngagement(ports.services, ports.lifecycles, record.id, { blocks: 2 }, {}).catch(
      (e) => e,
    );
    expect(refused).toMatchObject({ rule: 'ENT-1' });
    expect(balance(ports, 'CYBER_INCIDENT_RESPONSE').reserved).toBe(10);
  });

  it('CYB-6: acknowledgements are recorded only when all three are given; CYB-5: close, then lapse, once each', async () => {
    const ports = setup();
    const record = await bookCyberEngagement(ports.services, ports.lifecycles, 'wo-1', cyberRequest, {});
    const partial = { toolsDeployed: true, adminAccountsProvided: true, validBackupConfirmed: false };
    expect(await acknowledgeCyberEngagement(ports.services, record.id, partial, {}).catch((e) => e)).toMatchObject({
      rule: expect.stringMatching(/CYB-6|CUST-BACKUP/),
    });
    const all = { ...partial, validBackupConfirmed: true };
    expect((await acknowledgeCyberEngagement(ports.services, record.id, all, {})).acknowledgements).toMatchObject(all);
    const steps = cyberSteps(record);
    const step = (phase: string) => {
      const s = steps.find((x) => x.phase === phase)!;
      return { resourceId: record.id, workOrderId: 'wo-1', phase, at: s.at, input: null };
    };
    const closed = await closeCyberEngagement(ports.services, step('closed'));
    expect(closed).toMatchObject({ rule: 'CYB-5', deliverablesDueBy: record.deliverablesDueBy });
    expect(await closeCyberEngagement(ports.services, step('closed'))).toEqual(closed); // replayed: the same notice
    const lapsed = await lapseCyberDeliverables(ports.services, step('lapsed'));
    expect(lapsed).toMatchObject({ kind: 'cyberDeliverablesLapsed' });
    expect(await lapseCyberDeliverables(ports.services, step('lapsed'))).toEqual(lapsed);
    expect((await ports.workOrders.findResource<CyberEngagementRecord>('cyber', record.id))?.data.status).toBe(
      'lapsed',
    );
    expect(ports.workOrders.timelineOf('wo-1').map((t) => t.kind)).toEqual([
      'cyberEngagementBooked',
      'cyberAcknowledged',
      'cyberEngagementClosed',
      'cyberDeliverablesLapsed',
    ]);
  });
});
