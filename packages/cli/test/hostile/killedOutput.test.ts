// Hostile input, item 8: a `score --out` killed with SIGKILL while writing leaves its
// temporary file (`.<out>.<pid>-<hex>.tmp`, often 0 bytes) beside the output; no
// handler can run on SIGKILL. The next write of that output removes it (and says so),
// so none stays. The killed writer is a child process of the BUILT capture package.
import { describe, expect, it } from 'vitest';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { captureFileName, parseTempFileName, writeCapture } from '@mtl-fd/capture';
import { builtPackage } from '../../../../test/support/built.js';
import { childScript } from '../childScript.js';
import { runMtlFd } from '../cliProcess.js';

// The child: starts the atomic write of argv[2] as score --out does, then is killed.
const CHILD = `
const { createAtomicFile } = await import(${JSON.stringify(builtPackage('@mtl-fd/capture'))});
await createAtomicFile(process.argv[2]);
process.kill(process.pid, 'SIGKILL');
`;
const child = childScript('mtl-fd-hostile-killed-out-', CHILD);

describe('a killed score --out', () => {
  it('leaves no temporary file once the output is written again', async () => {
    const run = join(child.root, 'run');
    await mkdir(join(run, 'captures'), { recursive: true });
    await writeCapture(join(run, 'captures', captureFileName(1)), {
      meta: { step: 1, tasks: ['a', 'b'], layout: 'NC' },
      shape: [2, 3],
      features: Float64Array.from({ length: 6 }, (_, i) => i / 8),
      grads: { a: Float64Array.from({ length: 6 }, (_, i) => (i % 3) / 4), b: Float64Array.from({ length: 6 }, (_, i) => -i / 16) },
    });
    const outDir = join(child.root, 'out');
    await mkdir(outDir);
    const out = join(outDir, 'scores.csv');
    const killed = await child.run([out]);
    expect(killed.signal).toBe('SIGKILL');
    // before: this 0-byte temporary file stayed beside the output for good
    const temps = (await readdir(outDir)).filter((n) => parseTempFileName(n)?.target === 'scores.csv');
    expect(temps).toHaveLength(1);
    expect((await stat(join(outDir, temps[0]!))).size).toBe(0);

    const r = await runMtlFd(['score', run, '--out', out, '--workers', '0', '--no-cache']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`mtl-fd: removed ${join(outDir, temps[0]!)}, left by an interrupted write of the same output`);
    expect((await readdir(outDir)).sort()).toEqual(['scores.csv', 'scores.csv.options.json']);
    expect((await readFile(out, 'utf8')).startsWith('run,step,metric')).toBe(true);
  }, 60_000);
});
