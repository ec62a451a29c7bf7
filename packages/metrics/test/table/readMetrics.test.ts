import { toCSV } from '../../src/table/csv.js';
import { toJSON } from '../../src/table/json.js';
import type { TidyRow } from '../../src/table/types.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readMetricsFile, readMetricsTable } from '../../src/table/readMetrics.js';

const tmp = mkdtempSync(join(tmpdir(), 'mtl-fd-read-metrics-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const rows: TidyRow[] = [
  { run: 'r', step: 0, metric: 'fd', task: '', task_b: '', value: 0.4 },
  { run: 'r', step: 0, metric: 'fd_task', task: 'seg', task_b: '', value: null },
  { run: 'r', step: 10, metric: 'fd_pair', task: 'seg', task_b: 'depth', value: 0.75 },
];
const options = { saliency: 'grad', granularity: 'channel', temperature: 0.5, nonFinite: 'error', weighted: false };

function dir(name: string, files: Record<string, string>): string {
  const d = join(tmp, name);
  mkdirSync(d);
  for (const [f, text] of Object.entries(files)) writeFileSync(join(d, f), text);
  return d;
}

describe('readMetricsTable', () => {
  it('reads metrics.json (what mtl-fd score --format json writes) with its options', async () => {
    const t = await readMetricsTable(dir('json', { 'metrics.json': toJSON(rows, options), 'metrics.csv': 'not read' }));
    expect(t!.rows).toEqual(rows);
    expect(t!.options).toEqual(options);
    expect(t!.source).toMatch(/metrics\.json$/);
  });

  it('falls back to metrics.csv, with its options from metrics.csv.options.json', async () => {
    const withSidecar = await readMetricsTable(
      dir('csv', { 'metrics.csv': toCSV(rows), 'metrics.csv.options.json': JSON.stringify({ options }) }),
    );
    expect(withSidecar!.rows).toEqual(rows);
    expect(withSidecar!.options).toEqual(options);
    const bare = await readMetricsTable(dir('csv-bare', { 'metrics.csv': toCSV(rows) }));
    expect(bare!.options).toBeUndefined();
  });

  it('is undefined for a directory without a table', async () => {
    expect(await readMetricsTable(dir('none', { 'notes.txt': 'x' }))).toBeUndefined();
  });

  it('names the file in errors', async () => {
    const bad = dir('bad', { 'metrics.json': '{"rows": 1}', 'm.csv': toCSV(rows), 'm.csv.options.json': '{' });
    await expect(readMetricsTable(bad)).rejects.toThrow(`${join(bad, 'metrics.json')}: `);
    await expect(readMetricsFile(join(bad, 'm.csv'))).rejects.toThrow(/m\.csv\.options\.json: not valid JSON/);
  });

  it('names the file and the line of an empty table or a bad cell', async () => {
    const bad = dir('bad-cells', { 'empty.csv': '', 'step.csv': `${toCSV(rows)}r,,fd,,,1\n`, 'value.csv': `${toCSV(rows)}r,3,fd,,,n/a\n` });
    await expect(readMetricsFile(join(bad, 'empty.csv'))).rejects.toThrow(`${join(bad, 'empty.csv')}: no header row: the table is empty`);
    await expect(readMetricsFile(join(bad, 'step.csv'))).rejects.toThrow(`${join(bad, 'step.csv')}: line 5: step "" is not a non-negative integer`);
    await expect(readMetricsFile(join(bad, 'value.csv'))).rejects.toThrow(`${join(bad, 'value.csv')}: line 5: value "n/a" is not a number`);
  });
});
