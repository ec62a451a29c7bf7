import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The BUILT CLI (child processes run outside vitest, so they need the build). */
export const MTL_FD_BIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

export interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs `node <cli> ...args` with extra environment variables, optional stdin text;
 * `timeoutMs` kills it (SIGKILL) if it runs longer, e.g. blocked on a FIFO.
 */
export function runMtlFd(args: string[], opts: { env?: Record<string, string>; input?: string; cwd?: string; timeoutMs?: number } = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [MTL_FD_BIN, ...args], {
      cwd: opts.cwd,
      ...(opts.timeoutMs !== undefined ? { timeout: opts.timeoutMs, killSignal: 'SIGKILL' as const } : {}),
      env: { ...process.env, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    p.stdout.on('data', (d: Buffer) => out.push(d));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('exit', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(out), stderr: err }));
    p.stdin.end(opts.input ?? '');
  });
}

/**
 * Runs a shell pipeline under `bash -o pipefail` (so the exit status is mtl-fd's, not
 * only the last command's, e.g. `head`'s), collecting its output.
 */
export function runPipeline(cmd: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('bash', ['-o', 'pipefail', '-c', cmd], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('exit', (code) => resolve({ code, out, err }));
  });
}
