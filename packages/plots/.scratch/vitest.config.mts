import { defineConfig } from 'vitest/config';
export default defineConfig({
  root: '/work/main',
  resolve: { alias: { '@mtl-fd/metrics': '/work/main/packages/metrics/src/index.ts' } },
  test: { include: ['packages/plots/.scratch/**/*.test.ts'], testTimeout: 60000 },
});
