// Item 5 of the hostile-input issue: run and task names with U+2028/U+2029 or control
// characters. Before: `plot` died with exit 70 ("internal error: Unexpected token ILLEGAL"
// from Vega's expression parser; "a non-XML character '\u{1}'" from the SVG renderer) and
// left a half-written report/ behind; ANSI escapes in a run name reached the terminal raw
// from `diagnose` text; a symlinked report/ was written through. After: names are shown
// with a visible escape (\u2028, \x1b), the report appears whole or not at all, and a
// symlinked report directory is refused.
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { syntheticRun } from '../../../../test/support/syntheticRun.js';
import { writeTableRun } from '../../../../test/support/runDirs.js';
import { fromCSV } from '@mtl-fd/metrics';
import { bufferIO, writeRun } from '../scoreHelpers.js';

const STEPS = [0, 100, 200, 300];
let root: string;
beforeAll(async () => void (root = await mkdtemp(join(tmpdir(), 'mtl-fd-hostile-names-'))));
afterAll(async () => rm(root, { recursive: true, force: true }));

async function cli(args: string[], extra: { stdoutIsTTY?: boolean } = {}) {
  const io = Object.assign(bufferIO(root), extra);
  const code = await runCli(args, io);
  return { code, out: io.out, err: io.err };
}

const tableRun = (name: string, run: string, tasks?: string[]) =>
  writeTableRun(join(root, name), syntheticRun({ run, steps: STEPS, ...(tasks && { tasks }) }));

/** No raw C0/C1 control character (but \n, \r, \t), DEL or U+2028/9 in the text. */
const RAW_UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/;

describe('plot with hostile run and task names', () => {
  it('draws a run named with U+2028 and control characters, showing them escaped', async () => {
    for (const [name, run, shown] of [
      ['line-sep', 'a\u2028b', 'a\\u2028b'],
      ['controls', 'x\u0001y\u001b[31mRED', 'x\\x01y\\x1b[31mRED'],
    ] as const) {
      const dir = await tableRun(name, run);
      const { code, out, err } = await cli(['plot', dir, '--no-diagnose']);
      expect(err).not.toContain('internal error');
      expect(code).toBe(0);
      expect(out).toBe(`${join(dir, 'report', 'index.html')}\n`);
      const html = await readFile(join(dir, 'report', 'index.html'), 'utf8');
      expect(html).toContain(`<code>${shown}</code>`);
      for (const file of (await readdir(join(dir, 'report'))).filter((f) => f.endsWith('.svg'))) {
        expect(RAW_UNSAFE.test(await readFile(join(dir, 'report', file), 'utf8'))).toBe(false);
      }
    }
  });

  it('draws tasks named with U+2029 and a tab', async () => {
    const dir = await tableRun('tasks', 'run', ['s\u2029eg', 'de\tpth', 'normal']);
    const { code, err } = await cli(['plot', dir]);
    expect(err).not.toContain('internal error');
    expect(code).toBeLessThan(2);
    const html = await readFile(join(dir, 'report', 'index.html'), 'utf8');
    expect(html).toContain('s\\u2029eg');
    expect(html).not.toContain('s\u2029eg');
  });

  it('refuses a symlinked report directory, writing nothing through it', async () => {
    const dir = await tableRun('linked', 'linked');
    const elsewhere = join(root, 'elsewhere');
    await mkdir(elsewhere);
    await symlink(elsewhere, join(dir, 'report'));
    const { code, err } = await cli(['plot', dir]);
    expect(code).toBe(2);
    expect(err).toBe(`mtl-fd plot: ${join(dir, 'report')}: is a symbolic link; the report is not written through it (remove the link, or give --out a real directory)\n`);
    expect(await readdir(elsewhere)).toEqual([]);
    const out = join(root, 'out-link');
    await symlink(elsewhere, out);
    expect((await cli(['plot', dir, '--out', out])).code).toBe(2);
    expect(await readdir(elsewhere)).toEqual([]);
  });

  it('replaces a previous report whole, keeping the user\u2019s files and nothing half-written beside it', async () => {
    const dir = await tableRun('again', 'again');
    expect((await cli(['plot', dir])).code).toBeLessThan(2);
    const first = await readdir(join(dir, 'report'));
    await writeFile(join(dir, 'report', 'notes.md'), 'mine');
    // what a plot killed mid-write leaves: its temporary report directory (pid long gone)
    await mkdir(join(dir, '.report.999999999-0123456789ab.tmp'));
    expect((await cli(['plot', dir])).code).toBeLessThan(2);
    expect((await readdir(join(dir, 'report'))).sort()).toEqual([...first, 'notes.md'].sort());
    expect(await readFile(join(dir, 'report', 'notes.md'), 'utf8')).toBe('mine');
    expect((await readdir(dir)).sort()).toEqual(['metrics.json', 'report']);
  });
});

describe('terminal output of hostile names', () => {
  const ansi = 'evil\u001b[2J\u001b]0;pwned\u0007';
  it('diagnose text shows control characters escaped', async () => {
    const dir = await tableRun('ansi', ansi);
    const { out } = await cli(['diagnose', dir]);
    expect(out).toContain('run evil\\x1b[2J\\x1b]0;pwned\\x07');
    expect(RAW_UNSAFE.test(out)).toBe(false);
  });

  it('CSV on a terminal shows them escaped; piped or to a file it stays exact', async () => {
    const dir = await writeRun(root, 'ansi-captures', { run: ansi, steps: [0, 100], seed: 2 });
    const terminal = await cli(['score', dir, '--no-cache'], { stdoutIsTTY: true });
    expect(terminal.code).toBe(0);
    expect(terminal.out).toContain('evil\\x1b[2J\\x1b]0;pwned\\x07,0,fd,');
    expect(RAW_UNSAFE.test(terminal.out)).toBe(false);
    const piped = await cli(['score', dir, '--no-cache']);
    expect(fromCSV(piped.out).every((r) => r.run === ansi)).toBe(true);
  });
});
