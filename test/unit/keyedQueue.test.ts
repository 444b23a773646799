import { describe, expect, it } from 'vitest';
import { KeyedQueue } from '../../app/keyedQueue';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedQueue (changes of one Work Order, one after another in a process)', () => {
  it('runs work on one key one at a time, in arrival order, and work on other keys alongside', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const work = (key: string, n: number) =>
      queue.run(key, async () => {
        running++;
        most = Math.max(most, key === 'a' ? running : most);
        log.push(`${key}${n} start`);
        await tick();
        await tick();
        log.push(`${key}${n} end`);
        running--;
        return n;
      });
    const results = await Promise.all([work('a', 1), work('a', 2), work('b', 1), work('a', 3)]);
    expect(results).toEqual([1, 2, 1, 3]);
    const a = log.filter((l) => l.startsWith('a'));
    expect(a).toEqual(['a1 start', 'a1 end', 'a2 start', 'a2 end', 'a3 start', 'a3 end']);
    // b ran while a1 was running, not after the a's.
    expect(log.indexOf('b1 start')).toBeLessThan(log.indexOf('a1 end'));
    expect(queue.size).toBe(0);
  });

  it('passes results and failures through, and a failure does not stop the next in line', async () => {
    const queue = new KeyedQueue();
    const failing = queue.run('k', () => Promise.reject(new Error('lost')));
    const next = queue.run('k', () => Promise.resolve('ran'));
    await expect(failing).rejects.toThrow('lost');
    await expect(next).resolves.toBe('ran');
    expect(queue.size).toBe(0);
  });

  it('runs work on a key it already holds at once (a change inside a change never waits for itself)', async () => {
    const queue = new KeyedQueue();
    const inner = await queue.run('k', () => queue.run('k', () => Promise.resolve('inner ran')));
    expect(inner).toBe('inner ran');
  });

  it('runs work that has waited maxWaitMs anyway (ETags still decide)', async () => {
    const queue = new KeyedQueue(20);
    let release!: () => void;
    const stuck = queue.run('k', () => new Promise<void>((resolve) => (release = resolve)));
    const waited = await queue.run('k', () => Promise.resolve('ran while the first still held the key'));
    expect(waited).toBe('ran while the first still held the key');
    release();
    await stuck;
    expect(queue.size).toBe(0);
  });
});
