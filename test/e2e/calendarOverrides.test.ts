import { describe, expect, it } from 'vitest';
import type { HostProcess } from '../support/hostProcess';
import { hostForSuite } from '../support/suiteHost';
import { csam, manager } from '../support/principals';
import { workOrderBody } from '../support/workOrderFixtures';

describe('calendar overrides per Work Order (HOURS-1)', () => {
  let host: HostProcess;

  hostForSuite({ clockStart: '2027-03-02T16:00:00Z' }, (started) => (host = started));

  const open = (workOrderId: string, incidentId: string, occurredAt: string) =>
    host.post('/admin/servicebus/ticket-events/messages', {
      messageId: `${incidentId}-open`,
      body: {
        eventId: `${incidentId}-open`,
        type: 'IncidentOpened',
        occurredAt,
        incidentId,
        workOrderId,
        severity: 'B',
        product: { family: 'Other', service: 'Exchange Server' },
        channel: 'phone',
        description: 'mail flow slow',
        location: 'NL',
      },
    });
  const dueAt = async (incidentId: string) =>
    new Date(
      ((await (await host.get(`/api/incidents/${incidentId}`, csam)).json()) as { firstResponse: { dueAt: string } })
        .firstResponse.dueAt,
    ).toISOString();

  it('HOURS-1: days closed at creation and through PUT /calendar move deadlines computed afterwards; those computed before stay; the change is on the timeline', async () => {
    const created = await host.post(
      '/api/work-orders',
      workOrderBody({
        number: 'WO-CAL',
        downstream: [{ country: 'DE', timeZone: 'Europe/Berlin' }],
        calendar: { locations: { NL: { closed: ['2027-03-03'] } } },
      }),
      csam,
    );
    expect(created.status).toBe(201);
    const { id, etag } = { id: ((await created.json()) as { id: string }).id, etag: created.headers.get('etag') ?? '' };

    // Tue 2 March 16:50: 40 minutes that day, Wednesday closed by the Work Order, 80 minutes on Thursday.
    await open(id, 'CAL-1', '2027-03-02T16:50:00+01:00');
    await host.settle();
    expect(await dueAt('CAL-1')).toBe('2027-03-04T09:20:00.000Z');

    const put = (body: unknown, headers: Record<string, string> = csam) =>
      fetch(`${host.url}/api/work-orders/${id}/calendar`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    expect((await put({ locations: { NL: { closed: ['2027-03-04'] } } }, manager('contoso'))).status).toBe(403);
    expect((await put({ locations: { NL: { closed: ['2027-03-04'], open: ['2027-03-04'] } } })).status).toBe(400);
    const foreign = await put({ locations: { FR: { closed: ['2027-03-04'] } } });
    expect(foreign.status).toBe(422);
    expect(await foreign.json()).toMatchObject({ rule: 'MN-1' });
    const changed = await put({
      locations: { NL: { closed: ['2027-03-03', '2027-03-04'] }, DE: { open: ['2027-03-06'] } },
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).toBeTruthy();
    // The ETag read at creation is stale now: 412.
    expect((await put({ locations: { NL: { closed: ['2027-03-04'] } } }, { ...csam, 'if-match': etag })).status).toBe(
      412,
    );
    expect(await changed.json()).toMatchObject({
      calendar: { locations: { NL: { closed: ['2027-03-03', '2027-03-04'], open: [] }, DE: { open: ['2027-03-06'] } } },
    });

    // Opened after the change: Wednesday and Thursday closed, due Friday 10:25; the earlier deadline stays.
    await open(id, 'CAL-2', '2027-03-02T16:55:00+01:00');
    await host.settle();
    expect(await dueAt('CAL-2')).toBe('2027-03-05T09:25:00.000Z');
    expect(await dueAt('CAL-1')).toBe('2027-03-04T09:20:00.000Z');
    const timeline = (
      (await (await host.get(`/api/work-orders/${id}/timeline?limit=500`, csam)).json()) as {
        items: Array<{ kind: string; rule?: string; detail: string }>;
      }
    ).items;
    expect(timeline.find((e) => e.kind === 'calendarChanged')).toMatchObject({ rule: 'HOURS-1' });
  });
});
