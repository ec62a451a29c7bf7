// Item 7 of the hostile-input issue: run and task names that start like a spreadsheet
// formula. Before: `score --format csv` wrote `=HYPERLINK(...)` raw as the first cell of
// a line (a spreadsheet opening the file runs it). After: the cell is `'=HYPERLINK(...)`
// (OWASP's mitigation) and mtl-fd's own CSV reader takes the quote off again.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromCSV, fromJSON } from '@mtl-fd/metrics';
import { runCli } from '../../src/cli.js';
import { bufferIO, writeRun } from '../scoreHelpers.js';

const FORMULA_RUN = '=HYPERLINK("http://example.invalid","x")';

let root: string;
beforeAll(async () => void (root = await mkdtemp(join(tmpdir(), 'mtl-fd-hostile-csv-'))));
afterAll(async () => rm(root, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const io = bufferIO(root);
  const code = await runCli(args, io);
  return { code, out: io.out, err: io.err };
}

describe('CSV formula injection through run names', () => {
  it('writes a formula-like run name behind a leading quote, and reads it back exactly', async () => {
    const dir = await writeRun(root, 'formula', { run: FORMULA_RUN, steps: [0, 100, 200], seed: 3 });
    const csv = await cli('score', dir, '--format', 'csv');
    expect(csv.code).toBe(0);
    const lines = csv.out.trimEnd().split('\n').slice(1);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^"'=HYPERLINK\(""http:/);
    // numeric columns are numbers, never guarded: negative cosines stay -0.xx
    expect(csv.out).toMatch(/,grad_cos,seg,depth,-?\d/);
    expect(csv.out).not.toMatch(/,'-\d/);

    const json = await cli('score', dir, '--format', 'json');
    expect(fromCSV(csv.out)).toEqual(fromJSON(json.out).rows);
  });

  it('keeps the name exact through metrics.csv and diagnose', async () => {
    const dir = await writeRun(root, 'formula-table', { run: '+cmd', tasks: ['-seg', '-depth'], steps: [0, 100, 200], seed: 5 });
    expect((await cli('score', dir, '--out', join(dir, 'metrics.csv'))).code).toBe(0);
    const text = await readFile(join(dir, 'metrics.csv'), 'utf8');
    expect(text).toContain("'+cmd,0,fd,,,");
    expect(text).toContain(",'-seg,'-depth,");
    const report = await cli('diagnose', join(dir, 'metrics.csv'));
    expect(report.err).toBe('');
    expect(report.out).toMatch(/^run \+cmd[:,\s]/m);
    expect(report.out).not.toContain("'+cmd");
  });
});
