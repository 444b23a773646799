import type { Reporter, SerializedError, TestModule } from 'vitest/node';

/**
 * Prints the plain closing line CI reads ("N passed, N failed"), after vitest's own summary. A failed hook, a module
 * that could not load or an unhandled error counts as a failure too: it leaves its tests skipped, not failed.
 */
export default class ClosingLineReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError> = []): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const module of modules) {
      failed += module.errors().length;
      for (const suite of module.children.allSuites()) failed += suite.errors().length;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
    }
    // Written at exit so it follows vitest's own summary.
    process.once('exit', () => process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`));
  }
}
