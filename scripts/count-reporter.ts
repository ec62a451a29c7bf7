import { writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

/** Where scripts/run-tests.mjs asks for the counts (it prints the closing line itself). */
export const COUNTS_FILE_ENV = 'MTL_FD_TEST_COUNTS';

export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
  /** `file > test: reason` for every skipped test */
  skips: string[];
}

/**
 * Prints `N passed, N failed, N skipped` alone on the last line: the plain closing line
 * CI reads to count tests (it does not parse vitest's own summary). Each skipped test is
 * listed with its reason (`ctx.skip(reason)`); under `CI=true` a skip counts as a failure,
 * so CI proves that every test ran. Run by scripts/run-tests.mjs, it writes the counts to
 * the file named by MTL_FD_TEST_COUNTS instead, to be added to pytest's.
 */
export default class CountReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts: TestCounts = { passed: 0, failed: 0, skipped: 0, skips: [] };
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const result = test.result();
        if (result.state === 'passed') counts.passed++;
        else if (result.state === 'failed') counts.failed++;
        else {
          counts.skipped++;
          const note = result.state === 'skipped' ? result.note : undefined;
          counts.skips.push(`${mod.relativeModuleId} > ${test.fullName}: ${note ?? 'no reason given'}`);
        }
      }
      // a module that failed to load counts as a failure even with no test in it
      if (mod.state() === 'failed' && ![...mod.children.allTests()].length) counts.failed++;
    }
    const file = process.env[COUNTS_FILE_ENV];
    if (file) {
      writeFileSync(file, JSON.stringify(counts));
      return;
    }
    const ci = process.env.CI === 'true';
    for (const s of counts.skips) process.stdout.write(`\nskipped${ci ? ' (a failure under CI=true)' : ''}: ${s}`);
    const failed = counts.failed + (ci ? counts.skipped : 0);
    if (failed > 0) process.exitCode = 1;
    process.stdout.write(`\n${counts.passed} passed, ${failed} failed, ${ci ? 0 : counts.skipped} skipped\n`);
  }
}
