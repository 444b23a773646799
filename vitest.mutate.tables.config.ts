import { defineConfig } from 'vitest/config';

// Stryker's run for the `tables` part (domain/catalogue/responseTargets.ts, serviceCatalogue.ts): every static mutant
// there reruns all tests, so only the files that prove the tables' rules run (RESP-*, PRO-1, BUY-*, DEP-*, CYB-2,
// the edition defaults), a few seconds per mutant instead of the whole unit suite.
export default defineConfig({
  test: {
    include: [
      'test/unit/catalogueTables.test.ts',
      'test/unit/catalogue.test.ts',
      'test/unit/firstResponse.test.ts',
      'test/unit/firstResponseRules.test.ts',
    ],
    testTimeout: 60_000,
    pool: 'threads',
    env: { MUTATION_RUN: '1' },
  },
});
