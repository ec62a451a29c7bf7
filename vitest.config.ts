import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

// Tests run against package sources (no build needed for library tests); the CLI's
// end-to-end tests spawn the built binary, which `npm test` builds first.
export default defineConfig({
  resolve: {
    alias: {
      '@mtl-fd/capture': src('capture'),
      '@mtl-fd/metrics': src('metrics'),
      '@mtl-fd/sweep': src('sweep'),
      '@mtl-fd/diagnose': src('diagnose'),
      '@mtl-fd/hooks': src('hooks'),
      '@mtl-fd/plots': src('plots'),
      '@mtl-fd/cli': src('cli'),
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', './scripts/count-reporter.ts'],
  },
});
