#!/usr/bin/env node
// `npm test`: sets up what the tests need (scripts/test-setup.sh), builds, runs vitest
// (extra arguments go to vitest), then pytest over python/tests when it exists, and
// prints ONE closing line counting both: `N passed, N failed, N skipped`. Under CI=true
// a skipped test counts as failed, so a green CI run proves every test ran.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const ci = process.env.CI === 'true';
// Debian's python3 is the one apt gives torch, numpy and pytest to (a pyenv or venv
// python3 earlier on PATH would not see them)
const PYTHON = '/usr/bin/python3';
const PYTHON_TESTS = 'python/tests';

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.error) console.error(`${cmd}: ${r.error.message}`);
  return r.status ?? 1;
}

/** Counts from pytest's JUnit XML report (its own summary line is for people). */
function pytestCounts(xmlFile) {
  const xml = readFileSync(xmlFile, 'utf8');
  const suite = /<testsuite\b([^>]*)>/.exec(xml);
  if (!suite) throw new Error(`pytest wrote no <testsuite> to ${xmlFile}`);
  const attr = (name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(suite[1])?.[1] ?? 0);
  const failed = attr('failures') + attr('errors');
  const skipped = attr('skipped');
  const skips = [...xml.matchAll(/<testcase\b[^>]*?classname="([^"]*)"[^>]*?name="([^"]*)"[^>]*>\s*<skipped\b[^>]*?message="([^"]*)"/g)].map(
    (m) => `${m[1]} > ${m[2]}: ${m[3]}`,
  );
  return { passed: attr('tests') - failed - skipped, failed, skipped, skips };
}

const tmp = mkdtempSync(join(tmpdir(), 'mtl-fd-test-run-'));
const total = { passed: 0, failed: 0, skipped: 0, skips: [] };
const add = (c) => {
  total.passed += c.passed;
  total.failed += c.failed;
  total.skipped += c.skipped;
  total.skips.push(...c.skips);
};
let ok = true;
try {
  run('bash', [join(root, 'scripts', 'test-setup.sh')]);
  if (run('npm', ['run', '--silent', 'build']) !== 0) {
    console.error('npm test: the build failed');
    add({ passed: 0, failed: 1, skipped: 0, skips: [] });
    ok = false;
  } else {
    const countsFile = join(tmp, 'vitest.json');
    const code = run(join(root, 'node_modules', '.bin', 'vitest'), ['run', ...process.argv.slice(2)], { MTL_FD_TEST_COUNTS: countsFile });
    if (existsSync(countsFile)) add(JSON.parse(readFileSync(countsFile, 'utf8')));
    else add({ passed: 0, failed: 1, skipped: 0, skips: [] }); // vitest died before reporting
    if (code !== 0) ok = false;

    if (existsSync(join(root, PYTHON_TESTS)) && process.argv.length <= 2) {
      const hasPytest = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import pytest'], { stdio: 'ignore' }).status === 0;
      if (!hasPytest) {
        add({ passed: 0, failed: 0, skipped: 1, skips: [`${PYTHON_TESTS}: not run, ${PYTHON} has no pytest (apt-get install python3-pytest)`] });
      } else {
        const xml = join(tmp, 'pytest.xml');
        const code = run(PYTHON, ['-m', 'pytest', PYTHON_TESTS, '-q', `--junitxml=${xml}`]);
        // exit 5: no tests collected, which is not a failure
        if (code === 5) console.log(`pytest: no tests in ${PYTHON_TESTS}`);
        else if (existsSync(xml)) add(pytestCounts(xml));
        if (code !== 0 && code !== 5) {
          ok = false;
          if (!existsSync(xml)) add({ passed: 0, failed: 1, skipped: 0, skips: [] });
        }
      }
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

for (const s of total.skips) console.log(`skipped${ci ? ' (a failure under CI=true)' : ''}: ${s}`);
const failed = total.failed + (ci ? total.skipped : 0);
if (failed > 0) ok = false;
process.stdout.write(`\n${total.passed} passed, ${failed} failed, ${ci ? 0 : total.skipped} skipped\n`);
process.exit(ok ? 0 : 1);
