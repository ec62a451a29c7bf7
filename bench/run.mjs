// Runs every benchmark suite in bench/suites/ in its own child process (so peak memory
// is per suite) and prints one JSON object: {node, cpus, suites: {name: result}}.
// `npm run bench -- score hooks` runs only the named suites. Exits 1 when a suite does.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join, basename } from 'node:path';

const dir = fileURLToPath(new URL('./suites/', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.mjs'))
  .filter((f) => only.length === 0 || only.includes(basename(f, '.mjs')))
  .sort();

const suites = {};
for (const file of files) {
  const name = basename(file, '.mjs');
  process.stderr.write(`bench: ${name}...\n`);
  const res = spawnSync(process.execPath, ['--expose-gc', join(dir, file)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lastLine = (res.stdout ?? '').trim().split('\n').pop() ?? '';
  try {
    suites[name] = JSON.parse(lastLine);
  } catch {
    suites[name] = { error: `suite exited ${res.status} without a JSON result` };
  }
  // a suite that fails a check (e.g. the numpy baseline disagreeing) fails the bench
  if (res.status !== 0) {
    process.stderr.write(`bench: ${name} failed (exit ${res.status ?? res.signal})\n`);
    process.exitCode = 1;
  }
}
process.stdout.write(
  `${JSON.stringify({ node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, suites }, null, 2)}\n`,
);
