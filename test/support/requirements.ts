// What a test's subject may need from the machine, found once per test file. A test whose
// requirement is missing reports itself skipped with the reason (`skipUnless(ctx, need)`):
// it never passes after checking a fallback. `npm test` installs the Debian packages named
// here first (scripts/test-setup.sh); under CI=true a skip is a failure.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { TestContext } from 'vitest';

/** A requirement: where it was found, or why not. */
export type Requirement = { ok: true; path: string } | { ok: false; reason: string };

/** Reports the running test skipped, with the reason, when the requirement is missing. */
export function skipUnless(ctx: TestContext, need: Requirement): asserts need is { ok: true; path: string } {
  if (!need.ok) ctx.skip(need.reason);
}

/** The first of `names` on PATH. */
export function onPath(...names: string[]): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of names) {
      const path = join(dir, name);
      if (dir && existsSync(path)) return path;
    }
  }
  return undefined;
}

/** Debian's chromium on PATH; MTL_FD_CHROMIUM overrides. */
export function chromiumBrowser(): Requirement {
  const override = process.env.MTL_FD_CHROMIUM;
  if (override) return existsSync(override) ? { ok: true, path: override } : { ok: false, reason: `MTL_FD_CHROMIUM=${override} does not exist` };
  const path = onPath('chromium', 'chromium-browser');
  return path ? { ok: true, path } : { ok: false, reason: 'no chromium on PATH (apt-get install chromium, or set MTL_FD_CHROMIUM)' };
}

/**
 * Debian's python3 (the one apt installs torch and numpy for; a pyenv or venv python3
 * earlier on PATH would not see them), able to import every module named.
 */
export const DEBIAN_PYTHON = '/usr/bin/python3';
export function pythonWith(...modules: string[]): Requirement {
  if (!existsSync(DEBIAN_PYTHON)) return { ok: false, reason: `no ${DEBIAN_PYTHON} (Debian's python3)` };
  const missing = modules.filter((m) => spawnSync(DEBIAN_PYTHON, ['-c', `import ${m}`], { stdio: 'ignore', timeout: 120_000 }).status !== 0);
  return missing.length === 0
    ? { ok: true, path: DEBIAN_PYTHON }
    : { ok: false, reason: `${DEBIAN_PYTHON} cannot import ${missing.join(', ')}` };
}

/** Jupyter's nbconvert able to execute notebooks (Debian: jupyter-nbconvert, python3-nbclient). */
export function jupyterNbconvert(): Requirement {
  const jupyter = existsSync('/usr/bin/jupyter') ? '/usr/bin/jupyter' : onPath('jupyter');
  if (!jupyter) return { ok: false, reason: 'no jupyter on PATH (apt-get install jupyter-nbconvert python3-nbclient)' };
  const r = spawnSync(jupyter, ['nbconvert', '--version'], { stdio: 'ignore', timeout: 60_000 });
  if (r.status !== 0) return { ok: false, reason: `${jupyter} nbconvert does not run (apt-get install jupyter-nbconvert python3-nbclient)` };
  return { ok: true, path: jupyter };
}
