import { HttpRequest, InvocationContext } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { acceptWorkOrder } from '../../domain/workOrder/workOrderView';
import { completeDuty } from '../../functions/http/completeDuty';
import { recordHours } from '../../functions/http/recordHours';
import { memoryServices } from '../support/memoryPorts';
import { manager } from '../support/principals';
import { workOrderBody } from '../support/workOrderFixtures';

const post = (url: string, params: Record<string, string>, headers: Record<string, string>, body: unknown) =>
  new HttpRequest({
    method: 'POST',
    url: `http://localhost/api/${url}`,
    params,
    headers,
    body: { string: JSON.stringify(body) },
  });
const context = (name: string) => new InvocationContext({ functionName: name });

/** A Work Order with UER (its onboarding duty) and 400 EDE hours, on in-memory ports at 1 March 2027. */
function seeded(overrides: Parameters<typeof memoryServices>[1] = {}) {
  const memory = memoryServices('2027-03-01T10:00:00Z', overrides);
  const workOrder = acceptWorkOrder(
    workOrderBody({ entitlements: [{ serviceCode: 'UER' }, { serviceCode: 'EDE', hours: 400 }] }),
    { id: 'wo-1', asOf: '2026-12-15' },
  );
  memory.workOrders.seed(workOrder);
  return { ...memory, workOrder };
}

describe('triggers are made on the services they are given (handler factories)', () => {
  it('UER-4: completeDuty on fakes records the completion once; twice is 409; another customer 404, writing nothing', async () => {
    const { services, workOrders, workOrder } = seeded();
    const duty = workOrder.duties?.find((d) => d.kind === 'onboarding');
    expect(duty).toBeDefined();
    const complete = completeDuty.handler(services);
    const call = (customerId: string) =>
      complete(
        post(`duties/${duty!.id}/complete`, { id: duty!.id }, manager(customerId), { note: 'kick-off held' }),
        context('completeDuty'),
      );

    const foreign = await call('fabrikam');
    expect(foreign.status).toBe(404);
    expect(workOrders.writes).toHaveLength(0);

    const done = await call('contoso');
    expect(done.status).toBe(201);
    expect(done.jsonBody).toMatchObject({ id: duty!.id, state: 'done', note: 'kick-off held', workOrderId: 'wo-1' });
    expect(workOrders.writes).toHaveLength(1);
    expect(workOrders.writes[0]?.change.timeline?.[0]).toMatchObject({ kind: 'dutyCompleted', rule: 'UER-4' });

    expect((await call('contoso')).status).toBe(409);
    expect(workOrders.writes).toHaveLength(1);
  });

  it('EDE-1 / ENT-1: recordHours on fakes draws the hours down; more than is left is 422 ENT-1 and writes nothing', async () => {
    const { services, workOrders } = seeded();
    const record = recordHours.handler(services);
    const call = (hours: number) =>
      record(
        post('work-orders/wo-1/hours', { id: 'wo-1' }, manager('contoso'), {
          serviceCode: 'EDE',
          hours,
          date: '2027-03-01',
        }),
        context('recordHours'),
      );
    const used = await call(150);
    expect(used.status).toBe(201);
    expect(used.jsonBody).toMatchObject({ serviceCode: 'EDE', hours: 150, remainingAfter: 250 });
    const refused = await call(251);
    expect(refused.status).toBe(422);
    expect(JSON.parse(String(refused.body))).toMatchObject({ status: 422, rule: 'ENT-1' });
    expect(workOrders.writes).toHaveLength(1);
    expect(
      workOrders.workOrders.get('wo-1')?.workOrder.entitlements.find((e) => e.serviceCode === 'EDE')?.remaining,
    ).toBe(250);
  });

  it('each handler uses only its own services: the same trigger on services that cannot trust the principal answers 401', async () => {
    const closed = seeded({ principalHeaderTrusted: false });
    const open = seeded();
    const request = () =>
      post('work-orders/wo-1/hours', { id: 'wo-1' }, manager('contoso'), {
        serviceCode: 'EDE',
        hours: 1,
        date: '2027-03-01',
      });
    expect((await recordHours.handler(closed.services)(request(), context('recordHours'))).status).toBe(401);
    expect(closed.workOrders.writes).toHaveLength(0);
    expect((await recordHours.handler(open.services)(request(), context('recordHours'))).status).toBe(201);
  });
});
