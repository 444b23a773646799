import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAzurite } from '../../infra/local/azurite';
import { startTestAzurite } from '../support/azurite';
import { startHostProcess, type HostProcess } from '../support/hostProcess';
import { SCENE_CLOCK_START, seedOperatorScene, type OperatorScene } from '../support/operatorScene';
import { csam, reader } from '../support/principals';

interface Deadline {
  at: string;
  kind: string;
  resource: string;
  lifecycleId: string;
  state: string;
  rule: string;
  explanation: { text: string; rules: string[] };
}

describe('every promise findable: GET /api/work-orders/{id}/deadlines', () => {
  let azurite: RunningAzurite;
  let host: HostProcess;
  let scene: OperatorScene;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    host = await startHostProcess({ storageConnectionString: azurite.connectionString, clockStart: SCENE_CLOCK_START });
    scene = await seedOperatorScene(host);
  });
  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
  });

  const page = async (query: string, who = reader('contoso')) => {
    const response = await host.get(`/api/work-orders/${scene.workOrderId}/deadlines${query}`, who);
    expect(response.status).toBe(200);
    return (await response.json()) as { items: Deadline[]; continuationToken: string | null };
  };

  it('lists every lifecycle’s deadlines in time order, each with its lifecycle, rule and explanation', async () => {
    const { items, continuationToken } = await page('?limit=500');
    expect(continuationToken).toBeNull();
    const times = items.map((d) => Date.parse(d.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const kinds = new Set(items.map((d) => d.kind));
    for (const kind of [
      'incidentOpened',
      'firstResponseWarning',
      'firstResponseBreached',
      'firstResponseDue',
      'firstResponded',
      'aemAssessment',
      'aemLive',
      'aemPostEvent',
      'cyberDay',
      'cyberDeliverablesDue',
      'requestWindowCloses',
      'requestWindowReminder',
      'flexPeriodEnded',
      'termEnded',
    ])
      expect(kinds, kind).toContain(kind);
    for (const d of items) {
      expect(d.lifecycleId).toMatch(/^(work-order-term|incident-sla|aem-event|cyber-engagement)-/);
      expect(d.explanation.text.length).toBeGreaterThan(10);
      expect(d.rule).toBeTruthy();
    }
    const breached = items.find(
      (d) => d.resource === `/api/incidents/${scene.incidents.breached}` && d.kind === 'firstResponseBreached',
    );
    expect(breached).toMatchObject({
      state: 'breached',
      rule: 'RESP-UER',
      lifecycleId: `incident-sla-${scene.incidents.breached}`,
    });
    expect(breached!.explanation.text).toContain('around the clock');
    expect(items.filter((d) => d.kind === 'cyberDay')).toHaveLength(5);
  });

  it('pages with a continuation token and filters by from/to; a token it did not issue is 400', async () => {
    const all = (await page('?limit=500')).items;
    const first = await page('?limit=7');
    expect(first.items).toEqual(all.slice(0, 7));
    const second = await page(`?limit=7&continuationToken=${encodeURIComponent(first.continuationToken!)}`);
    expect(second.items).toEqual(all.slice(7, 14));
    const march = (await page('?from=2027-03-08&to=2027-03-13&limit=500')).items;
    expect(march.map((d) => d.kind)).toEqual(['cyberDay', 'cyberDay', 'cyberDay', 'cyberDay', 'cyberDay']);
    const forged = await host.get(`/api/work-orders/${scene.workOrderId}/deadlines?continuationToken=abc`, csam);
    expect(forged.status).toBe(400);
    const badFrom = await host.get(`/api/work-orders/${scene.workOrderId}/deadlines?from=soon`, csam);
    expect(badFrom.status).toBe(400);
    const foreign = await host.get(`/api/work-orders/${scene.workOrderId}/deadlines`, reader('fabrikam'));
    expect(foreign.status).toBe(404);
  });

  it('every resource with a lifecycle shows its lifecycleId, and the lifecycle names its next due time', async () => {
    const wo = (await (await host.get(`/api/work-orders/${scene.workOrderId}`, csam)).json()) as {
      lifecycleId: string;
    };
    expect(wo.lifecycleId).toBe(`work-order-term-${scene.workOrderId}`);
    const incident = (await (await host.get(`/api/incidents/${scene.incidents.pending}`, csam)).json()) as {
      lifecycleId: string;
      firstResponse: { dueAt: string };
    };
    const aem = (await (await host.get(`/api/aem-events/${scene.aemId}`, csam)).json()) as {
      lifecycleId: string;
      phases: { assessment: { from: string }; explanation: { rules: string[] } };
    };
    const cyber = (await (await host.get(`/api/cyber-engagements/${scene.cyberId}`, csam)).json()) as {
      lifecycleId: string;
      schedule: Array<{ to: string }>;
    };
    expect(aem.phases.explanation.rules).toContain('AEM-5');
    const status = async (id: string) =>
      ((await (await host.get(`/api/lifecycles/${id}`, csam)).json()) as { customStatus: { nextDue: string } })
        .customStatus;
    // the Sev C incident's next timer is its 80 % warning; the AEM event's is its assessment; the cyber engagement's
    // is the end of its first day; the Work Order's is its first REQ-60 reminder or flex-year end
    expect(Date.parse((await status(incident.lifecycleId)).nextDue)).toBeLessThan(
      Date.parse(incident.firstResponse.dueAt),
    );
    expect(Date.parse((await status(aem.lifecycleId)).nextDue)).toBe(Date.parse(aem.phases.assessment.from));
    expect(Date.parse((await status(cyber.lifecycleId)).nextDue)).toBe(Date.parse(cyber.schedule[0]!.to));
    const term = await status(wo.lifecycleId);
    expect(Date.parse(term.nextDue)).toBeGreaterThan(Date.parse('2027-03-01T08:45:00Z'));
  });
});
