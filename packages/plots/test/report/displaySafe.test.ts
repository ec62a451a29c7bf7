// The report's defences against hostile names and interrupted writes (hostile-input item 5).
import { UserError } from '@mtl-fd/capture';
import { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reportHtml } from '../../src/report/html.js';
import { safeRow } from '../../src/report/displaySafe.js';
import { summarize } from '../../src/report/summary.js';
import { writeReport } from '../../src/report/write.js';
import { finding, fixtureRows } from '../fixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'mtl-fd-plots-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const oneRun = (name: string, tasks = ['seg', 'depth']) => fixtureRows({ runs: [{ name, steps: [0, 100, 200], skew: 0.5 }], tasks });

describe('hostile names in the report', () => {
  it('safeRow escapes the unsafe characters of every name and returns a safe row unchanged', () => {
    const row = { run: 'a\u2028b', step: 0, metric: 'm\u0001', task: 't\u001b[1m', task_b: '', value: 1 };
    expect(safeRow(row)).toEqual({ run: 'a\\u2028b', step: 0, metric: 'm\\x01', task: 't\\x1b[1m', task_b: '', value: 1 });
    const ok = { run: 'fine', step: 0, metric: 'fd', task: '', task_b: '', value: null };
    expect(safeRow(ok)).toBe(ok);
  });

  it('draws runs and tasks named with U+2028/9 and control characters (before: Vega "Unexpected token ILLEGAL", resvg "non-XML character")', async () => {
    const out = join(tmp, 'names');
    const rows = [...oneRun('a\u2028b', ['s\u2029g', 'd\u0001p']), ...oneRun('x\u001b[31my')];
    const res = await writeReport(out, { rows, findings: [finding({ run: 'x\u001b[31my', tasks: ['s\u2029g'] })], pngScale: 1 });
    expect(res.charts.length).toBeGreaterThan(0);
    for (const c of res.charts) expect(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u2028\u2029]/.test(readFileSync(c.svg, 'utf8'))).toBe(false);
    const html = readFileSync(res.index, 'utf8');
    expect(html).toContain('<code>a\\u2028b</code>');
    expect(html).toContain('<code>x\\x1b[31my</code>');
  });

  it('keeps </script and U+2028 inside the inline spec JSON from closing or breaking the script', () => {
    const html = reportHtml({
      title: 't',
      runs: ['r'],
      charts: [{ id: 'fd-trajectory', title: 'T', description: 'd', stepZoom: false, spec: { data: { values: [{ run: '</script><script>alert(1)</script>\u2028' }] }, mark: 'point' } as never }],
      settings: [],
      summary: summarize(fixtureRows()),
    });
    const json = html.split('<script type="application/json" id="mtl-fd-specs">')[1]!.split('</script>')[0]!;
    expect(json).not.toMatch(/<\/?script|\u2028/i);
    expect(JSON.parse(json)['fd-trajectory'].data.values[0].run).toBe('</script><script>alert(1)</script>\u2028');
  });
});

describe('the report directory', () => {
  it('keeps the previous report whole when writing the new one fails midway (before: half of it replaced)', async () => {
    const out = join(tmp, 'kept');
    await writeReport(out, { rows: oneRun('first'), pngScale: 1 });
    const before = Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f))]));
    // a PNG scale of 0 makes the renderer throw after the first chart's spec and SVG are written
    await expect(writeReport(out, { rows: oneRun('second'), pngScale: 0 })).rejects.toThrow(/zero/);
    expect(Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f))]))).toEqual(before);
    expect(readdirSync(tmp).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('removes what a killed earlier report left half-written beside it', async () => {
    const out = join(tmp, 'after-kill');
    const left = join(tmp, '.after-kill.999999999-0123456789ab.tmp');
    mkdirSync(left);
    writeFileSync(join(left, 'fd-trajectory.svg'), '<svg');
    await writeReport(out, { rows: oneRun('r'), pngScale: 1 });
    expect(readdirSync(tmp).filter((n) => n.startsWith('.after-kill'))).toEqual([]);
  });

  it('keeps the user\u2019s own files of an older report directory, drops the stale chart files', async () => {
    const out = join(tmp, 'mine');
    await writeReport(out, { rows: oneRun('r', ['seg', 'depth']), pngScale: 1 });
    writeFileSync(join(out, 'notes.txt'), 'mine');
    mkdirSync(join(out, 'extra'));
    writeFileSync(join(out, 'extra', 'a.txt'), 'a');
    await writeReport(out, { rows: oneRun('r', ['solo']), pngScale: 1 });
    const files = readdirSync(out);
    expect(files.filter((f) => f.startsWith('pair-'))).toEqual([]);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(out, 'extra', 'a.txt'), 'utf8')).toBe('a');
  });

  it('refuses a symbolic link or a file where the report directory goes', async () => {
    const real = join(tmp, 'real');
    mkdirSync(real);
    const link = join(tmp, 'link');
    symlinkSync(real, link);
    const write = writeReport(link, { rows: oneRun('r'), pngScale: 1 });
    await expect(write).rejects.toBeInstanceOf(UserError);
    await expect(writeReport(link, { rows: oneRun('r'), pngScale: 1 })).rejects.toThrow(`${link}: is a symbolic link; the report is not written through it`);
    expect(readdirSync(real)).toEqual([]);
    writeFileSync(join(tmp, 'file'), 'x');
    await expect(writeReport(join(tmp, 'file'), { rows: oneRun('r'), pngScale: 1 })).rejects.toThrow(/exists and is not a directory/);
  });
});
