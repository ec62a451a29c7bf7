#!/usr/bin/env node
// The long fuzz run: `npm run fuzz -- --runs 1000000 [--seed 42]` runs the capture
// reader fuzz suite (reader.test.ts) with that many cases. Plain `npm test` runs it
// with 10,000. Exits with vitest's exit code.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '1000000' }, seed: { type: 'string' } },
});
for (const [k, v] of Object.entries(values)) {
  if (v !== undefined && !/^[0-9]+$/.test(v)) {
    process.stderr.write(`fuzz: --${k} must be a non-negative integer (got '${v}')\n`);
    process.exit(2);
  }
}
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
process.stderr.write(`fuzz: ${values.runs} cases${values.seed ? `, seed ${values.seed}` : ''}\n`);
const res = spawnSync(process.execPath, [vitest, 'run', 'packages/capture/test/fuzz/'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: values.runs, ...(values.seed ? { FUZZ_SEED: values.seed } : {}) },
});
process.exit(res.status ?? 1);
