// The Work Order's deadline list (GET /api/work-orders/{id}/deadlines) as a unit: which dated promises it lists, with
// which rule and state (REQ-60, FLEX-3, EXP-1, RESP-*, AEM-5..7, CYB-4, CYB-5), in time order.
import { describe, expect, it } from 'vitest';
import { aemPhaseDates, planAemBooking } from '../../domain/aem/aemBooking';
import type { AemBookingRecord } from '../../domain/aem/aemRecord';
import { planCyberEngagement } from '../../domain/cyber/cyberEngagement';
import type { CyberEngagementRecord } from '../../domain/cyber/cyberRecord';
import { workOrderDeadlines, type DeadlineSources } from '../../domain/deadlines';
import type { Incident } from '../../domain/incidents/incident';
import { acceptWorkOrder } from '../../domain/workOrder/workOrderView';
import { workOrderBody } from '../support/workOrderFixtures';

const workOrder = acceptWorkOrder(
  workOrderBody({ term: { start: '2027-01-01', end: '2027-12-31' }, flexAllocations: [] }),
  {
    id: 'wo 1',
    asOf: '2027-01-01',
  },
);
const lifecycleIdOf = (kind: string, id: string) => `${kind}:${id}`;
const sources = (over: Partial<DeadlineSources> = {}): DeadlineSources => ({
  workOrder,
  incidents: [],
  aemEvents: [],
  cyberEngagements: [],
  now: new Date('2027-10-10T12:00:00Z'),
  lifecycleIdOf,
  ...over,
});

const incident = (over: Partial<Incident['firstResponse']> & { status?: 'open' | 'closed' } = {}) => {
  const { status = 'open', ...fr } = over;
  return {
    incidentId: 'INC/1',
    workOrderId: 'wo 1',
    severity: 'A',
    status,
    openedAt: '2027-10-10T10:00:00.000Z',
    warningAt: '2027-10-10T10:48:00.000Z',
    firstResponse: {
      plan: 'BASE',
      targetMinutes: 60,
      clock: '24x7',
      dueAt: '2027-10-10T11:00:00.000Z',
      state: 'pending',
      respondedAt: null,
      ...fr,
    },
  } as unknown as Incident;
};

describe('the deadline list', () => {
  it("REQ-60, FLEX-3, EXP-1: the term's promises with their rule and state (done once passed), in time order", () => {
    const list = workOrderDeadlines(sources());
    expect(list.map((d) => [d.kind, d.rule, d.state, d.at])).toEqual([
      ['requestWindowReminder', 'REQ-60', 'done', '2027-10-02T09:00:00+02:00'],
      ['requestWindowReminder', 'REQ-60', 'due', '2027-10-25T09:00:00+02:00'],
      ['requestWindowCloses', 'REQ-60', 'due', '2027-11-02T00:00:00+01:00'],
      ['flexPeriodEnded', 'FLEX-3', 'due', '2028-01-01T00:00:00+01:00'],
      ['termEnded', 'EXP-1', 'due', '2028-01-01T00:00:00+01:00'],
    ]);
    expect(list[0]).toMatchObject({
      resource: '/api/work-orders/wo%201',
      resourceType: 'workOrder',
      lifecycleId: 'workOrder:wo 1',
    });
    expect(list.every((d) => d.resourceType === 'workOrder' && d.resource === '/api/work-orders/wo%201')).toBe(true);
    expect(list.every((d) => d.lifecycleId === 'workOrder:wo 1')).toBe(true);
    // A promise is done from its own instant on.
    const atReminder = workOrderDeadlines(sources({ now: new Date('2027-10-25T07:00:00Z') }));
    expect(atReminder.map((d) => d.state)).toEqual(['done', 'done', 'due', 'due', 'due']);
    // A termination's last day moves them.
    const terminated = workOrderDeadlines(sources({ workOrder: { ...workOrder, terminatesOn: '2027-10-31' } }));
    expect(terminated.find((d) => d.kind === 'termEnded')?.at).toBe('2027-11-01T00:00:00+01:00');
    expect(terminated.find((d) => d.kind === 'requestWindowCloses')?.at).toBe('2027-09-02T00:00:00+02:00');
  });

  it("RESP-*: an incident's opening, warning, due time and response, each with its state at `now`", () => {
    const at = (now: string, fr: Parameters<typeof incident>[0] = {}) =>
      workOrderDeadlines(sources({ now: new Date(now), incidents: [incident(fr)] }))
        .filter((d) => d.resourceType === 'incident')
        .map((d) => [d.kind, d.state, d.rule]);
    expect(at('2027-10-10T10:47:00Z')).toEqual([
      ['incidentOpened', 'open', 'INC-1'],
      ['firstResponseWarning', 'due', 'RESP-PICK'],
      ['firstResponseDue', 'due', 'RESP-PICK'],
    ]);
    expect(at('2027-10-10T10:48:00Z').map((d) => d[1])).toEqual(['open', 'warned', 'due']);
    expect(at('2027-10-10T11:00:00Z').map((d) => d[1])).toEqual(['open', 'warned', 'breached']);
    expect(at('2027-10-10T12:00:00Z', { state: 'breached' }).map((d) => d.slice(0, 2))).toEqual([
      ['incidentOpened', 'open'],
      ['firstResponseWarning', 'breached'],
      ['firstResponseBreached', 'breached'],
    ]);
    expect(
      at('2027-10-10T12:00:00Z', { state: 'met', respondedAt: '2027-10-10T10:30:00.000Z', status: 'closed' }),
    ).toEqual([
      ['incidentOpened', 'closed', 'INC-1'],
      ['firstResponded', 'met', 'RESP-LATE'],
      ['firstResponseWarning', 'met', 'RESP-PICK'],
      ['firstResponseDue', 'met', 'RESP-PICK'],
    ]);
    const listed = workOrderDeadlines(
      sources({ incidents: [incident({ state: 'met', respondedAt: '2027-10-10T10:30:00.000Z' })] }),
    ).filter((d) => d.resourceType === 'incident');
    expect(listed.map((d) => [d.kind, d.explanation.rules])).toEqual([
      ['incidentOpened', ['INC-1']],
      ['firstResponded', ['RESP-LATE', 'INC-3']],
      ['firstResponseWarning', ['RESP-PICK']],
      ['firstResponseDue', ['RESP-PICK']],
    ]);
    const explained = workOrderDeadlines(
      sources({ incidents: [incident({ explanation: { text: 'why', rules: ['RESP-RR'] } })] }),
    ).find((d) => d.kind === 'firstResponseDue');
    expect(explained).toMatchObject({
      rule: 'RESP-RR',
      resource: '/api/incidents/INC%2F1',
      lifecycleId: 'incident:INC/1',
    });
    const noRules = workOrderDeadlines(sources({ incidents: [incident({ explanation: { text: 'why', rules: [] } })] }));
    expect(noRules.find((d) => d.kind === 'firstResponseDue')?.rule).toBe('RESP-PICK');
  });

  it('AEM-5..7: the assessment, the live window and the post-event summary; all cancelled with the booking', () => {
    const plan = planAemBooking({
      solutionName: 's',
      cloud: 'AzurePublic',
      start: '2027-10-20',
      days: 2,
      confirmedAt: '2027-09-01',
    });
    const record = {
      ...plan,
      id: 'aem-1',
      workOrderId: 'wo 1',
      cloud: 'AzurePublic',
      timeZone: 'Europe/Amsterdam',
      phases: aemPhaseDates(plan, 'Europe/Amsterdam'),
      phase: 'assessment',
      consumed: 0,
      summary: null,
      cancelledAt: null,
    } as AemBookingRecord;
    const rows = (r: AemBookingRecord) =>
      workOrderDeadlines(sources({ aemEvents: [r] }))
        .filter((d) => d.resourceType === 'aemEvent')
        .map((d) => [d.kind, d.rule, d.state, d.at]);
    expect(rows(record)).toEqual([
      ['aemAssessment', 'AEM-5', 'done', record.phases.assessment.from],
      ['aemLive', 'AEM-6', 'due', record.phases.live.from],
      ['aemPostEvent', 'AEM-7', 'due', record.phases.live.to],
    ]);
    expect(rows({ ...record, phase: 'cancelled' }).map((r) => r[2])).toEqual(['cancelled', 'cancelled', 'cancelled']);
    // A phase is done from its own instant on.
    const atLive = workOrderDeadlines(sources({ now: new Date(record.phases.live.from), aemEvents: [record] })).filter(
      (d) => d.resourceType === 'aemEvent',
    );
    expect(atLive.map((d) => d.state)).toEqual(['done', 'done', 'due']);
    // A booking stored without its explanation gets one computed.
    const { explanation: _, ...phases } = record.phases;
    const computed = workOrderDeadlines(sources({ aemEvents: [{ ...record, phases }] })).find(
      (d) => d.kind === 'aemLive',
    );
    expect(computed?.explanation.rules).toContain('AEM-6');
    expect(computed).toMatchObject({
      resource: '/api/aem-events/aem-1',
      resourceType: 'aemEvent',
      lifecycleId: 'aemEvent:aem-1',
    });
  });

  it('CYB-4, CYB-5: each day (done when delivered or passed), the deliverables and, when later, the lapse', () => {
    const plan = planCyberEngagement({
      offering: 'CYBER_INCIDENT_RESPONSE_1DAY',
      start: '2027-10-11',
      days: 1,
      timeZone: 'Europe/Amsterdam',
    });
    const record = {
      ...plan,
      id: 'cy-1',
      workOrderId: 'wo 1',
      status: 'scheduled',
      deliveredDates: [],
      acknowledgements: null,
      extensionBlocks: 0,
    } as CyberEngagementRecord;
    const rows = (r: CyberEngagementRecord, now = '2027-10-10T12:00:00Z') =>
      workOrderDeadlines(sources({ now: new Date(now), cyberEngagements: [r] }))
        .filter((d) => d.resourceType === 'cyberEngagement')
        .map((d) => [d.kind, d.rule, d.state]);
    expect(rows(record)).toEqual([
      ['cyberDay', 'CYB-4', 'due'],
      ['cyberDeliverablesDue', 'CYB-5', 'due'],
    ]);
    expect(rows({ ...record, deliveredDates: ['2027-10-11'] }).map((r) => r[2])).toEqual(['done', 'due']);
    expect(rows(record, '2027-10-12T12:00:00Z').map((r) => r[2])).toEqual(['done', 'due']);
    expect(rows({ ...record, status: 'cancelled' }).map((r) => r[2])).toEqual(['cancelled', 'cancelled']);
    expect(rows({ ...record, status: 'lapsed' }, '2027-10-12T12:00:00Z').map((r) => r[2])).toEqual([
      'done',
      'cancelled',
    ]);
    // At the deliverables' own instant: done (kept), also for an engagement that has lapsed since.
    const dueBy = '2027-10-21T22:00:00Z';
    expect(rows(record, dueBy).map((r) => r[2])).toEqual(['done', 'done']);
    expect(rows({ ...record, status: 'lapsed' }, dueBy).map((r) => r[2])).toEqual(['done', 'done']);
    expect(rows({ ...record, status: 'lapsed' }, '2027-10-21T21:59:59Z').map((r) => r[2])).toEqual([
      'done',
      'cancelled',
    ]);
    expect(rows({ ...record, obligationLapsesOn: '2027-10-30' })).toEqual([
      ['cyberDay', 'CYB-4', 'due'],
      ['cyberDeliverablesDue', 'CYB-5', 'due'],
      ['cyberObligationLapses', 'CYB-5', 'due'],
    ]);
    const [day] = workOrderDeadlines(sources({ cyberEngagements: [record] })).filter((d) => d.kind === 'cyberDay');
    expect(day).toMatchObject({
      at: plan.schedule[0]!.from,
      resource: '/api/cyber-engagements/cy-1',
      lifecycleId: 'cyberEngagement:cy-1',
    });
    const bare = workOrderDeadlines(sources({ cyberEngagements: [{ ...record, explanation: undefined }] }));
    expect(bare.find((d) => d.kind === 'cyberDay')?.explanation.rules).toEqual(['CYB-4']);
    expect(bare.find((d) => d.kind === 'cyberDeliverablesDue')?.explanation.rules).toEqual(['CYB-5']);
  });

  it('ties in time are ordered by resource', () => {
    const two = workOrderDeadlines(sources({ incidents: [incident(), { ...incident(), incidentId: 'INC-0' }] })).filter(
      (d) => d.kind === 'incidentOpened',
    );
    expect(two.map((d) => d.resource)).toEqual(['/api/incidents/INC-0', '/api/incidents/INC%2F1']);
  });
});
