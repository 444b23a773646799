import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * Property tests last: Stryker stops a mutant's run at its first failing test (bail), and the default order runs the
 * longest file first, so every mutant a quick unit test kills would first pay for the whole property run.
 */
class PropertyTestsLast extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isProperty = (f: TestSpecification) => /\.property\.test\.ts$/.test(f.moduleId);
    return [...sorted.filter((f) => !isProperty(f)), ...sorted.filter(isProperty)];
  }
}

// Stryker's run: the tests that exercise domain/ without Azurite or the local host (unit tests and the
// orchestrators' replay tests), so a mutant is judged in milliseconds.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/orchestrations/**/*.test.ts'],
    // Left out: tests of the repository rather than of domain decisions (layers, the rule map against docs/, the
    // Bicep text), which also fail in Stryker's sandbox copy, and the host's parts.
    exclude: [
      'test/unit/layers.test.ts',
      'test/unit/ruleMap.test.ts',
      'test/unit/deployment.test.ts',
      'test/unit/localHostParts.test.ts',
      'test/unit/domainBench.test.ts',
    ],
    // The instrumented property tests run far slower than plain ones on a shared 2-core machine.
    testTimeout: 60_000,
    pool: 'threads',
    sequence: { sequencer: PropertyTestsLast },
    // Property tests stop at the first failure instead of shrinking it (a mutant is killed all the same).
    env: { MUTATION_RUN: '1' },
  },
});
