import { defineConfig } from 'vitest/config';

// Stryker's run: the domain's unit tests only (no Azurite, no local host), so a mutant is judged in milliseconds.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    exclude: ['test/unit/layers.test.ts', 'test/unit/localHostParts.test.ts', 'test/unit/domainBench.test.ts'],
    pool: 'threads',
  },
});
