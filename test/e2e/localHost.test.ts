import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAzurite } from '../../infra/local/azurite';
import { startTestAzurite } from '../support/azurite';
import { startHostProcess, type HostProcess } from '../support/hostProcess';
import { withHostBehindRefusingStorage } from '../support/refusingStorageProxy';

const app = 'test/fixtures/basicApp/index.js';

interface Seen {
  ticks: Array<{ at: string; isPastDue: boolean }>;
  messages: Array<{ body: Record<string, unknown>; messageId: string; deliveryCount: number }>;
  hanging: string[];
}

describe('local host: a Functions v4 app on one machine', () => {
  let azurite: RunningAzurite;
  let host: HostProcess;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    host = await startHostProcess({
      app,
      storageConnectionString: azurite.connectionString,
      clockStart: '2027-01-01T00:00:00Z',
    });
  });

  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
  });

  it('lists every registered function with its trigger in /admin/health', async () => {
    const health = (await (await host.get('/admin/health')).json()) as {
      status: string;
      storage: string;
      functions: string[];
    };
    expect(health.status).toBe('ok');
    expect(health.storage).toBe('azurite');
    expect(health.functions).toEqual(
      expect.arrayContaining(['echo', 'text', 'binary', 'boom', 'tick', 'orders', 'slowOrders']),
    );
  });

  it('routes by template with constraints and catch-all, passes JSON bodies, headers and comma-joined query values', async () => {
    const response = await host.post('/api/echo/42/a/b?tag=x&tag=y', { hello: 1 });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-echo')).toBe('42');
    expect(await response.json()).toEqual({
      id: '42',
      rest: 'a/b',
      tag: 'x,y',
      body: { hello: 1 },
      contentType: 'application/json',
    });
  });

  it('refuses a route whose constraint does not match, and an unknown route, with 404 problem+json', async () => {
    const wrongConstraint = await host.post('/api/echo/abc', { hello: 1 });
    expect(wrongConstraint.status).toBe(404);
    const unknown = await host.get('/api/does-not-exist');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
  });

  it('answers 405 for a known route with another method', async () => {
    expect((await host.get('/api/binary')).status).toBe(405);
  });

  it('returns text and binary bodies unchanged', async () => {
    const text = await host.get('/api/text');
    expect(text.headers.get('content-type')).toBe('text/plain');
    expect(await text.text()).toBe('plain text');
    const binary = await fetch(`${host.url}/api/binary`, { method: 'POST', body: new Uint8Array([1, 2, 3, 255]) });
    expect([...new Uint8Array(await binary.arrayBuffer())]).toEqual([255, 3, 2, 1]);
  });

  it('answers 500 problem+json with the invocation ID when a handler throws', async () => {
    const response = await host.get('/api/boom');
    expect(response.status).toBe(500);
    const problem = (await response.json()) as { invocationId: string; detail: string };
    expect(problem.invocationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(problem.detail).toContain(problem.invocationId);
  });

  it('fires a cron timer at each due time when the clock advances, in order', async () => {
    const before = ((await (await host.get('/api/seen')).json()) as Seen).ticks.length;
    const now = await host.advance(46);
    expect(now).toBe('2027-01-01T00:46:00.000Z');
    const ticks = ((await (await host.get('/api/seen')).json()) as Seen).ticks.slice(before);
    expect(ticks).toEqual([
      { at: '2027-01-01T00:15:00.000Z', isPastDue: false },
      { at: '2027-01-01T00:30:00.000Z', isPastDue: false },
      { at: '2027-01-01T00:45:00.000Z', isPastDue: false },
    ]);
  });

  it('refuses to move the clock backwards with 409', async () => {
    expect((await host.post('/admin/clock', { advanceMinutes: -5 })).status).toBe(409);
    expect((await host.post('/admin/clock', { to: '2026-01-01T00:00:00Z' })).status).toBe(409);
  });

  it('delivers a queue message with its metadata and lands the return binding in the output queue', async () => {
    const sent = await host.post('/admin/servicebus/orders/messages', { messageId: 'order-7', body: { orderId: 7 } });
    expect(sent.status).toBe(202);
    await host.settle();
    const seen = (await (await host.get('/api/seen')).json()) as Seen;
    expect(seen.messages).toContainEqual({ body: { orderId: 7 }, messageId: 'order-7', deliveryCount: 1 });
    const processed = (await (await host.get('/admin/servicebus/orders-processed/messages')).json()) as Array<{
      body: unknown;
    }>;
    expect(processed.map((m) => m.body)).toContainEqual({ processed: 7 });
  });

  it('drops a duplicate messageId inside the detection window', async () => {
    await host.post('/admin/servicebus/orders/messages', { messageId: 'order-8', body: { orderId: 8 } });
    const again = await host.post('/admin/servicebus/orders/messages', { messageId: 'order-8', body: { orderId: 8 } });
    expect(((await again.json()) as { duplicate: boolean }).duplicate).toBe(true);
    await host.settle();
    const seen = (await (await host.get('/api/seen')).json()) as Seen;
    expect(seen.messages.filter((m) => m.messageId === 'order-8')).toHaveLength(1);
  });

  it('takes the longest messageId Service Bus allows, in any script, and still detects its duplicate', async () => {
    // 128 characters of a 3-byte script encode to 1,154 key characters, past Azurite's 512-character key limit.
    const messageId = 'ü€'.repeat(64);
    const first = await host.post('/admin/servicebus/orders/messages', { messageId, body: { orderId: 9 } });
    expect(first.status).toBe(202);
    const again = await host.post('/admin/servicebus/orders/messages', { messageId, body: { orderId: 9 } });
    expect(((await again.json()) as { duplicate: boolean }).duplicate).toBe(true);
    await host.settle();
    const seen = (await (await host.get('/api/seen')).json()) as Seen;
    expect(seen.messages.filter((m) => m.messageId === messageId)).toHaveLength(1);
  });

  it('dead-letters a poison message after maxDeliveryCount deliveries with the last error', async () => {
    await host.post('/admin/servicebus/orders/messages', { messageId: 'poison-1', body: { orderId: 9, poison: true } });
    await host.settle();
    const deadLetters = (await (await host.get('/admin/servicebus/orders/deadletter')).json()) as Array<
      Record<string, unknown>
    >;
    expect(deadLetters).toContainEqual(
      expect.objectContaining({
        messageId: 'poison-1',
        body: { orderId: 9, poison: true },
        deadLetterReason: 'MaxDeliveryCountExceeded',
        deadLetterErrorDescription: 'cannot process order 9',
        deliveryCount: 3,
      }),
    );
  });
});

describe('local host: a crash loses nothing', () => {
  it('redelivers a message whose handler was running at kill -9, keeps dead letters, and fires a timer that fell due while down', async () => {
    const azurite = await startTestAzurite();
    try {
      const first = await startHostProcess({
        app,
        storageConnectionString: azurite.connectionString,
        clockStart: '2027-01-01T00:00:00Z',
      });
      await first.post('/admin/servicebus/orders/messages', {
        messageId: 'poison-before-crash',
        body: { orderId: 1, poison: true },
      });
      await first.settle();
      await first.advance(10);
      await first.post('/admin/servicebus/slow-orders/messages', {
        messageId: 'slow-1',
        body: { orderId: 2, hangFirstDelivery: true },
      });
      // Crash only once the handler is known to be mid-delivery.
      let hanging = false;
      for (let i = 0; i < 300 && !hanging; i++) {
        hanging = ((await (await first.get('/api/seen')).json()) as Seen).hanging.includes('slow-1');
        if (!hanging) await new Promise((r) => setTimeout(r, 50));
      }
      expect(hanging).toBe(true);
      await first.crash();

      // Restarted two hours later: the 00:15 occurrence fell due while the host was down.
      const second = await startHostProcess({
        app,
        storageConnectionString: azurite.connectionString,
        clockStart: '2027-01-01T02:00:00Z',
      });
      try {
        await second.settle();
        const seen = (await (await second.get('/api/seen')).json()) as Seen;
        expect(seen.messages).toContainEqual({
          body: { orderId: 2, hangFirstDelivery: true },
          messageId: 'slow-1',
          deliveryCount: 2,
        });
        expect(seen.ticks[0]).toEqual({ at: '2027-01-01T02:00:00.000Z', isPastDue: true });
        const deadLetters = (await (await second.get('/admin/servicebus/orders/deadletter')).json()) as Array<{
          messageId: string;
        }>;
        expect(deadLetters.map((d) => d.messageId)).toContain('poison-before-crash');
      } finally {
        await second.stop();
      }
    } finally {
      await azurite.stop();
    }
  });
});

describe('local host: a storage error in the host loses no message', () => {
  it('offers a message again when its lock could not be stored, counting only the delivery that happened', async () => {
    await withHostBehindRefusingStorage({ app, clockStart: '2027-01-01T00:00:00Z' }, async (host, proxy) => {
      proxy.refuse(
        1,
        (r) => r.method === 'PUT' && r.url.includes('LocalHostServiceBus') && r.url.includes("RowKey='m"),
      );
      expect(
        (await host.post('/admin/servicebus/orders/messages', { messageId: 'order-locked', body: { orderId: 9 } }))
          .status,
      ).toBe(202);
      let seen: Seen | undefined;
      for (let i = 0; i < 60 && !seen?.messages.some((m) => m.messageId === 'order-locked'); i++) {
        await new Promise((r) => setTimeout(r, 50));
        seen = (await (await host.get('/api/seen')).json()) as Seen;
      }
      expect(proxy.refused).toBe(1);
      expect(seen?.messages.filter((m) => m.messageId === 'order-locked')).toEqual([
        { body: { orderId: 9 }, messageId: 'order-locked', deliveryCount: 1 },
      ]);
    });
  });
});
