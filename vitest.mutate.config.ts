import { defineConfig } from 'vitest/config';

// Stryker's run: the tests that exercise domain/ without Azurite or the local host (unit tests and the
// orchestrators' replay tests), so a mutant is judged in milliseconds.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/orchestrations/**/*.test.ts'],
    exclude: ['test/unit/layers.test.ts', 'test/unit/localHostParts.test.ts', 'test/unit/domainBench.test.ts'],
    // The instrumented property tests run far slower than plain ones on a shared 2-core machine.
    testTimeout: 60_000,
    pool: 'threads',
    // Property tests stop at the first failure instead of shrinking it (a mutant is killed all the same).
    env: { MUTATION_RUN: '1' },
  },
});
