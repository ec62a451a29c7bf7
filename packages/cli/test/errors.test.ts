import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../src/args.js';
import { runCli } from '../src/cli.js';
import { SCORE_OPTION_FLAGS } from '../src/scoreOptionArgs.js';
import { bufferIO } from '../../../test/support/bufferIO.js';
import { writeCaptureRun } from '../../../test/support/runDirs.js';
import { MTL_FD_BIN, runMtlFd, runPipeline } from './cliProcess.js';

// What a new user hit (issue 11, item 5): each bad input is one line on stderr naming
// the input and the problem, exit 2, no stack trace; a reader that stops early is no error.
let dir = '';
let runA = '';
let runB = '';
let long = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mtl-fd-cli-errors-'));
  runA = await writeCaptureRun(join(dir, 'a'), { steps: [0, 100] });
  runB = await writeCaptureRun(join(dir, 'b'), { steps: [0, 100], scale: (t) => (t === 'seg' ? 0.1 : 1e-2) });
  // 160 captures: a table far larger than a pipe's buffer, so `| head -1` closes it mid-write
  long = await writeCaptureRun(join(dir, 'long'), { steps: Array.from({ length: 160 }, (_, k) => k * 10) });
  await writeFile(join(dir, 'empty.csv'), '');
  await writeFile(join(dir, 'perf.csv'), 'run,metric,value,direction\na,acc,0.5,higher\nb,acc,0.7,higher\n');
  await writeFile(join(dir, 'stranger.csv'), 'run,metric,value,direction\na,acc,0.5,higher\nb,acc,0.7,higher\nghost,acc,0.9,higher\n');
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Runs a command in-process that must fail with exit 2; returns its one stderr line. */
async function oneLine(args: string[]): Promise<string> {
  const io = bufferIO(dir);
  expect(await runCli(args, io), io.err).toBe(2);
  const lines = io.err.trimEnd().split('\n');
  expect(lines, io.err).toHaveLength(1);
  expect(io.err).not.toMatch(/internal error|\n\s+at /);
  return lines[0]!;
}

describe('bad input: one line, exit 2', () => {
  it('a 0-byte metrics.csv given to diagnose or plot', async () => {
    const file = join(dir, 'empty.csv');
    expect(await oneLine(['diagnose', file])).toBe(`mtl-fd diagnose: ${file}: no header row: the table is empty (expected run,step,metric,task,task_b,value)`);
    expect(await oneLine(['plot', file, '--out', join(dir, 'report')])).toBe(`mtl-fd plot: ${file}: no header row: the table is empty (expected run,step,metric,task,task_b,value)`);
  });

  it('an unknown option, with "did you mean" for a near miss', async () => {
    expect(await oneLine(['score', '--granulrity', 'channel', runA])).toBe("mtl-fd score: unknown option '--granulrity'; did you mean '--granularity'? (see --help)");
    expect(await oneLine(['diagnose', '--zzz', runA])).toBe("mtl-fd diagnose: unknown option '--zzz' (see --help)");
    expect(await oneLine(['score', '-q', runA])).toBe("mtl-fd score: unknown option '-q' (see --help)");
    expect(await oneLine(['score', runA, '--out'])).toBe('mtl-fd score: --out needs a value');
    expect(await oneLine(['score', '--out', '--format', 'csv', runA])).toBe("mtl-fd score: --out needs a value (got the option '--format')");
  });

  it('a negative number is an option value, not an option', async () => {
    expect(parseCommandArgs(['--temperature', '-1', 'run'], SCORE_OPTION_FLAGS)).toMatchObject({ values: { temperature: '-1' }, positionals: ['run'] });
    expect(parseCommandArgs(['--temperature', '-.5'], SCORE_OPTION_FLAGS).values.temperature).toBe('-.5');
    expect(await oneLine(['score', '--temperature', '-1', runA])).toBe("mtl-fd score: --temperature must be a number >= 0 (got '-1')");
  });

  it('rank with an unknown identifier says so and lists the known ones', async () => {
    const line = await oneLine(['rank', '--identifier', 'fdd', '--perf', 'perf.csv', runA, runB]);
    expect(line).toMatch(/^mtl-fd rank: unknown identifier 'fdd': not a metric of the tidy table; did you mean 'fd'\? \(known: fd, fd_mass, dead_units, .*grad_norm.*; a metric of your own needs --direction\)$/);
    expect(await oneLine(['rank', '--identifier', 'zzz', '--perf', 'perf.csv', runA, runB])).toMatch(/^mtl-fd rank: unknown identifier 'zzz': not a metric of the tidy table \(known: fd, /);
  });

  it('rank with a missing perf file names the file', async () => {
    expect(await oneLine(['rank', '--identifier', 'fd', '--perf', 'nope.csv', runA, runB])).toBe('mtl-fd rank: nope.csv: no such file');
    expect(await oneLine(['rank', '--perf', 'nope.csv', runA, runB])).toBe('mtl-fd rank: nope.csv: no such file');
  });

  it('a perf.csv naming a run that is not among the runs given', async () => {
    expect(await oneLine(['rank', '--identifier', 'fd', '--perf', 'stranger.csv', runA, runB])).toBe(
      "mtl-fd rank: stranger.csv: run 'ghost' not among the runs given (a, b): add the run directory or drop its rows",
    );
  });
});

describe('a reader that stops early', () => {
  it('`score <runs> | head -1` exits 0 quietly (EPIPE), though the table is larger than a pipe holds', async () => {
    const whole = await runMtlFd(['score', long, '--no-cache', '--workers', '0']);
    expect(whole.code).toBe(0);
    expect(whole.stdout.length).toBeGreaterThan(256 * 1024);
    const cmd = `'${process.execPath}' '${MTL_FD_BIN}' score '${long}' --no-cache --workers 0 | head -1`;
    const piped = await runPipeline(cmd);
    expect(piped.out).toBe('run,step,metric,task,task_b,value\n');
    expect(piped.err).not.toMatch(/EPIPE|Error|\n\s+at /);
    expect(piped.code).toBe(0);
  });

  it('exits 0 quietly when the reader is gone before the first write', async () => {
    const p = spawn(process.execPath, [MTL_FD_BIN, 'score', runA, '--no-cache', '--workers', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    p.stdout.destroy();
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      p.on('error', reject);
      p.on('exit', resolve);
    });
    expect(err).not.toMatch(/EPIPE|Error|\n\s+at /);
    expect(err).toContain('2 capture(s) (2 scored'); // it did score, then found no reader
    expect(code).toBe(0);
  });
});
