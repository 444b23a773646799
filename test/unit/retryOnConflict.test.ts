import { afterEach, describe, expect, it, vi } from 'vitest';
import { CONFLICT_ATTEMPTS, retryOnConflict } from '../../app/retryOnConflict';
import { ConcurrencyConflict } from '../../domain/incidents/incidentStore';
import { WorkOrderConflict } from '../../domain/workOrder/workOrderStore';

describe('retryOnConflict (one policy for every ETag race)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('runs a lost race again on fresh data until it commits', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    let runs = 0;
    const result = await retryOnConflict(async () => {
      runs++;
      if (runs < 3) throw runs === 1 ? new WorkOrderConflict('stale') : new ConcurrencyConflict('stale');
      return 'committed';
    });
    expect({ result, runs }).toEqual({ result: 'committed', runs: 3 });
  });

  it('never gives up silently: after the last attempt the conflict is thrown', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    let runs = 0;
    const lost = retryOnConflict(async () => {
      runs++;
      throw new WorkOrderConflict('always stale');
    });
    await expect(lost).rejects.toBeInstanceOf(WorkOrderConflict);
    expect(runs).toBe(CONFLICT_ATTEMPTS);
  });

  it('does not retry other failures', async () => {
    let runs = 0;
    await expect(
      retryOnConflict(async () => {
        runs++;
        throw new Error('storage down');
      }),
    ).rejects.toThrow('storage down');
    expect(runs).toBe(1);
  });
});
