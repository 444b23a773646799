import { describe, expect, it } from 'vitest';
import { httpFuzz } from '../../bench/httpFuzz';
import type { HostProcess } from '../support/hostProcess';
import { hostForSuite } from '../support/suiteHost';

/** api-contract Conventions: malformed input never answers 5xx; every error is problem+json. 20,000: npm run bench. */
describe('HTTP fuzz over every operation of the OpenAPI document (bounded: ~2,000 requests)', () => {
  let host: HostProcess;

  hostForSuite({ clockStart: '2027-02-01T09:00:00Z' }, (started) => (host = started));

  it('answers 0 × 5xx, and every 4xx is problem+json with its status', async () => {
    const seed = Number(process.env['FUZZ_SEED'] ?? Date.now() % 1_000_000);
    console.log(`HTTP fuzz seed ${seed} (FUZZ_SEED=${seed} repeats it)`);
    const figures = await httpFuzz(host.url, { runs: 2000, seed });
    console.log(`HTTP fuzz (seed ${seed}): ${JSON.stringify({ ...figures, examples: undefined })}`);
    if (figures.serverErrors || figures.nonProblemErrors) console.log(figures.examples, host.output().slice(-3000));
    expect(figures.requests).toBe(2000);
    expect(figures.examples).toEqual([]);
    expect(figures.serverErrors).toBe(0);
    expect(figures.nonProblemErrors).toBe(0);
  }, 300_000); // ~30 s alone; much longer while the whole suite shares two cores
});
