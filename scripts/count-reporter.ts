import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints `N passed, N failed` alone on the last line: the plain closing line CI reads
 * to count tests (it does not parse vitest's own summary).
 */
export default class CountReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      // a module that failed to load counts as a failure even with no test in it
      if (mod.state() === 'failed' && ![...mod.children.allTests()].length) failed++;
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
