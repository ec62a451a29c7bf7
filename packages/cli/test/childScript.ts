import { afterAll, beforeAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

export interface ChildScript {
  /** the temporary directory the script lives in (the tests' scratch space too) */
  readonly root: string;
  /** the script's path */
  readonly path: string;
  /** runs `node <script> ...args` to its end */
  run(args: string[]): Promise<ChildExit>;
}

/**
 * A node script (`source`) written to a fresh temporary directory before the tests of
 * one file and removed after them: the child processes that the kill tests start.
 */
export function childScript(prefix: string, source: string): ChildScript {
  let root = '';
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), prefix));
    await writeFile(join(root, 'child.mjs'), source);
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });
  return {
    get root() {
      return root;
    },
    get path() {
      return join(root, 'child.mjs');
    },
    run(args) {
      return new Promise((resolve, reject) => {
        const p = spawn(process.execPath, [join(root, 'child.mjs'), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        p.on('error', reject);
        p.on('exit', (code, signal) => resolve({ code, signal, stderr }));
      });
    },
  };
}
