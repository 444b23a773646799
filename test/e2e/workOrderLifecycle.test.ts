import { describe, expect, it } from 'vitest';
import type { HostProcess } from '../support/hostProcess';
import { hostForSuite } from '../support/suiteHost';
import { csam, manager } from '../support/principals';
import { workOrderBody } from '../support/workOrderFixtures';

const body = (number: string) =>
  workOrderBody({
    number,
    entitlements: [
      { serviceCode: 'RAPID_RESPONSE' },
      { serviceCode: 'AZURE_ENGINEERING_DIRECT' },
      { serviceCode: 'EDE', hours: 400 },
    ],
  });

interface Notice {
  body: {
    notificationId: string;
    kind: string;
    workOrderId: string;
    lapsed?: number;
    used?: number;
    daysBeforeClose?: number;
    unused?: unknown[];
    expired?: unknown[];
  };
}

describe('Work Order term lifecycle on the virtual clock (FLEX-3, REQ-60, EXP-1, DEP-1, DEP-2)', () => {
  let host: HostProcess;
  const notices = async (workOrderId: string) =>
    ((await (await host.get('/admin/servicebus/lifecycle-notifications/messages')).json()) as Notice[])
      .map((n) => n.body)
      .filter((b) => b.workOrderId === workOrderId);
  const workOrder = async (id: string) =>
    (await (await host.get(`/api/work-orders/${id}`, csam)).json()) as {
      status: string;
      flexPeriods: Array<{ year: number; lapsed?: number; used?: number }>;
      entitlements: Array<{ serviceCode: string; expired?: number; endsOn: string }>;
    };
  const timeline = async (id: string) =>
    (
      (await (await host.get(`/api/work-orders/${id}/timeline?limit=500`, csam)).json()) as {
        items: Array<{ kind: string; rule?: string; detail: string }>;
      }
    ).items;

  hostForSuite({ clockStart: '2026-12-20T09:00:00Z' }, (started) => (host = started));

  it('simulates a two-year Work Order from signing to expiry: flex year 1 lapses with the amounts, reminders on time, expiry at the end', async () => {
    const id = ((await (await host.post('/api/work-orders', body('WO-2Y'), csam)).json()) as { id: string }).id;
    const request = await host.post(
      `/api/work-orders/${id}/service-requests`,
      { serviceCode: 'RAP_AS_A_SERVICE', startDate: '2027-06-01', days: 1, price: 30000, fundedBy: 'flex' },
      manager('contoso'),
    );
    expect(request.status).toBe(201);

    await host.post('/admin/clock', { to: '2028-01-01T00:30:00Z' });
    expect((await workOrder(id)).flexPeriods[0]).toMatchObject({ year: 1, used: 30000, lapsed: 120000 });
    expect(await notices(id)).toContainEqual(
      expect.objectContaining({ kind: 'flexPeriodClosed', lapsed: 120000, notificationId: `flexPeriodClosed:${id}:1` }),
    );
    expect((await timeline(id)).find((e) => e.kind === 'flexPeriodClosed')).toMatchObject({ rule: 'FLEX-3' });

    await host.post('/admin/clock', { to: '2028-10-02T07:30:00Z' });
    expect((await notices(id)).filter((n) => n.kind === 'requestWindowReminder').map((n) => n.daysBeforeClose)).toEqual(
      [30],
    );
    await host.post('/admin/clock', { to: '2028-10-25T08:00:00Z' });
    const reminders = (await notices(id)).filter((n) => n.kind === 'requestWindowReminder');
    expect(reminders.map((n) => n.daysBeforeClose)).toEqual([30, 7]);
    expect(reminders[1]?.unused).toContainEqual(expect.objectContaining({ serviceCode: 'EDE', remaining: 400 }));

    expect((await workOrder(id)).status).toBe('active');
    await host.post('/admin/clock', { to: '2029-01-01T00:30:00Z' });
    const expired = await workOrder(id);
    expect(expired.status).toBe('expired');
    expect(expired.entitlements.find((e) => e.serviceCode === 'EDE')).toMatchObject({ expired: 400 });
    const late = await host.post(
      `/api/work-orders/${id}/credits/redemptions`,
      { country: 'NL', serviceCode: 'WORKSHOP', value: 1 },
      manager('contoso'),
    );
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ rule: 'EXP-1' });
    expect(await notices(id)).toContainEqual(
      expect.objectContaining({ kind: 'workOrderExpired', notificationId: `workOrderExpired:${id}` }),
    );
    expect(await (await host.get(`/api/lifecycles/work-order-term-${id}`, manager('contoso'))).json()).toMatchObject({
      runtimeStatus: 'Completed',
      resource: `/api/work-orders/${id}`,
    });
    // Each notification went out once, whatever replayed.
    const ids = (await notices(id)).map((n) => n.notificationId);
    expect(new Set(ids).size).toBe(ids.length);
  }, 180_000); // two years of timers on the virtual clock: ~40 s alone, over 60 s when the machine is shared
});

describe('termination and sweep repair', () => {
  let host: HostProcess;

  hostForSuite({ clockStart: '2027-03-01T09:00:00Z' }, (started) => (host = started));

  it('DEP-1, DEP-2: terminating mid-term ends EDE and Azure Engineering Direct on the same date and stops the term lifecycle', async () => {
    const id = ((await (await host.post('/api/work-orders', body('WO-T'), csam)).json()) as { id: string }).id;
    const terminated = await host.post(
      `/api/work-orders/${id}/terminate`,
      { at: '2027-06-30', reason: 'merger' },
      csam,
    );
    expect(terminated.status).toBe(200);
    await host.settle();
    const view = (await (await host.get(`/api/work-orders/${id}`, csam)).json()) as {
      entitlements: Array<{ serviceCode: string; endsOn: string; endedBy?: string }>;
    };
    expect(view.entitlements.find((e) => e.serviceCode === 'EDE')).toMatchObject({
      endsOn: '2027-06-30',
      endedBy: 'DEP-1',
    });
    expect(view.entitlements.find((e) => e.serviceCode === 'AZURE_ENGINEERING_DIRECT')).toMatchObject({
      endsOn: '2027-06-30',
      endedBy: 'DEP-2',
    });
    const runtimeStatus = async () =>
      ((await (await host.get(`/api/lifecycles/work-order-term-${id}`, csam)).json()) as { runtimeStatus: string })
        .runtimeStatus;
    expect(await runtimeStatus()).toBe('Running'); // the term now ends on 30 June
    const notes = (
      (await (await host.get('/admin/servicebus/lifecycle-notifications/messages')).json()) as Notice[]
    ).map((n) => n.body);
    expect(notes).toContainEqual(expect.objectContaining({ kind: 'workOrderTerminated', workOrderId: id }));
    // EXP-1: use goes on up to and including the last day.
    const redeem = () =>
      host.post(
        `/api/work-orders/${id}/credits/redemptions`,
        { country: 'NL', serviceCode: 'WORKSHOP', value: 10 },
        manager('contoso'),
      );
    await host.post('/admin/clock', { to: '2027-06-30T21:30:00Z' }); // 23:30 on 30 June in Amsterdam
    expect((await redeem()).status).toBe(201);
    expect(((await (await host.get(`/api/work-orders/${id}`, csam)).json()) as { status: string }).status).toBe(
      'active',
    );
    // From the next day on, nothing new: 409 EXP-1, while reads go on; the term lifecycle ended with the term.
    await host.post('/admin/clock', { to: '2027-06-30T22:30:00Z' });
    const redeemed = await redeem();
    expect(redeemed.status).toBe(409);
    expect(await redeemed.json()).toMatchObject({ rule: 'EXP-1', status: 409 });
    const requested = await host.post(
      `/api/work-orders/${id}/service-requests`,
      { serviceCode: 'WORKSHOP', startDate: '2027-09-01', days: 1, price: 1000, fundedBy: 'credits' },
      manager('contoso'),
    );
    expect(requested.status).toBe(409);
    const ended = (await (await host.get(`/api/work-orders/${id}`, csam)).json()) as {
      status: string;
      creditBalances: Record<string, number>;
    };
    expect(ended).toMatchObject({ status: 'terminated', creditBalances: { NL: 190 } });
    expect(await runtimeStatus()).toBe('Completed');
    expect(
      (await host.post(`/api/work-orders/${id}/terminate`, { at: '2027-07-31', reason: 'again' }, csam)).status,
    ).toBe(409);
    // Nothing left for the sweep to repair: the term's due items were closed with it.
    await host.post('/admin/clock', { to: '2028-01-02T03:00:00Z' });
    expect(await runtimeStatus()).toBe('Completed');
  });

  it('a sweep restarts a lifecycle whose orchestration was purged, and a second sweep changes nothing', async () => {
    const id = ((await (await host.post('/api/work-orders', body('WO-P'), csam)).json()) as { id: string }).id;
    await host.settle();
    const purge = await fetch(`${host.url}/runtime/webhooks/durabletask/instances/work-order-term-${id}`, {
      method: 'DELETE',
    });
    expect(purge.status).toBe(200);
    expect((await host.get(`/api/lifecycles/work-order-term-${id}`, csam)).status).toBe(404);
    // Year 1 ends 2028-01-01 00:00 Amsterdam; the next daily sweep (02:30 UTC) finds it open and the orchestration gone.
    await host.post('/admin/clock', { to: '2029-01-03T03:00:00Z' });
    const view = (await (await host.get(`/api/work-orders/${id}`, csam)).json()) as {
      status: string;
      flexPeriods: Array<{ lapsed?: number }>;
    };
    expect(view.flexPeriods[0]?.lapsed).toBe(150000);
    expect(view.status).toBe('expired');
    const repairs = (
      (await (await host.get(`/api/work-orders/${id}/timeline?limit=500`, csam)).json()) as {
        items: Array<{ kind: string }>;
      }
    ).items.filter((e) => e.kind === 'lifecycleRepaired');
    expect(repairs).toHaveLength(1); // later daily sweeps found the restarted orchestration running and changed nothing
  });
});
