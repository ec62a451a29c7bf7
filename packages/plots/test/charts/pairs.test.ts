import { describe, expect, it } from 'vitest';
import { pairEvolutionSpec, pairMatrixSpec } from '../../src/charts/pairs.js';
import { NoDataError } from '../../src/errors.js';
import { renderSvg } from '../../src/render.js';
import { fixtureRows } from '../fixtures.js';
import { valuesOf } from '../helpers.js';

type Cell = { run: string; step: number; row: string; col: string; value: number | null; label: string; panel: string };
const cells = (spec: unknown) => valuesOf(spec) as unknown as Cell[];

describe('pairMatrixSpec', () => {
  it('shows each run at its last capture, mirrored, with the value written in each cell', () => {
    const spec = pairMatrixSpec(fixtureRows(), 'fd_pair');
    const c = cells(spec);
    expect(new Set(c.map((x) => x.step))).toEqual(new Set([300]));
    expect(c).toHaveLength(2 * 3 * 2); // 2 runs x 3 pairs x both triangles
    const ab = c.find((x) => x.run === 'equal' && x.row === 'seg' && x.col === 'depth')!;
    const ba = c.find((x) => x.run === 'equal' && x.row === 'depth' && x.col === 'seg')!;
    expect(ab.value).toBe(0.75);
    expect(ba.value).toBe(0.75);
    expect(ab.label).toBe('0.75');
    expect(c.some((x) => x.row === x.col)).toBe(false);
    expect(JSON.stringify(spec)).toContain('"type":"text"');
  });

  it('picks the capture nearest --step in each run', () => {
    const rows = fixtureRows({
      runs: [
        { name: 'a', steps: [0, 100, 200, 300], skew: 0 },
        { name: 'b', steps: [0, 50], skew: 1 },
      ],
    });
    const c = cells(pairMatrixSpec(rows, 'grad_cos', { step: 180 }));
    expect(new Set(c.filter((x) => x.run === 'a').map((x) => x.step))).toEqual(new Set([200]));
    expect(new Set(c.filter((x) => x.run === 'b').map((x) => x.step))).toEqual(new Set([50]));
    expect(c.find((x) => x.run === 'b')!.panel).toBe('b · step 50');
    const last = cells(pairMatrixSpec(rows, 'grad_cos'));
    expect(new Set(last.filter((x) => x.run === 'b').map((x) => x.step))).toEqual(new Set([50]));
    expect(new Set(last.filter((x) => x.run === 'a').map((x) => x.step))).toEqual(new Set([300]));
  });

  it('writes n/a in a null cell and draws a single pair', async () => {
    const rows = fixtureRows({ tasks: ['left', 'right'], runs: [{ name: 'r', steps: [0, 10], skew: 0 }] }).map((r) =>
      r.metric === 'grad_cos' && r.step === 10 ? { ...r, value: null } : r,
    );
    const spec = pairMatrixSpec(rows, 'grad_cos');
    expect(cells(spec).map((x) => x.label)).toEqual(['n/a', 'n/a']);
    const svg = await renderSvg(spec);
    expect(svg).toContain('n/a');
  });

  it('throws a NoDataError without pair rows (one task)', () => {
    expect(() => pairMatrixSpec(fixtureRows({ tasks: ['only'] }), 'fd_pair')).toThrow(NoDataError);
    expect(() => pairMatrixSpec([], 'grad_cos')).toThrow(/no grad_cos rows/);
  });

  it('renders stable SVGs', async () => {
    await expect(await renderSvg(pairMatrixSpec(fixtureRows(), 'fd_pair'))).toMatchFileSnapshot('../__snapshots__/pair-fd.svg');
    const cos = await renderSvg(pairMatrixSpec(fixtureRows(), 'grad_cos'));
    await expect(cos).toMatchFileSnapshot('../__snapshots__/pair-grad-cos.svg');
    expect(cos).toContain('\u22120.7'); // a conflicting pair's value is written in its cell
  });
});

describe('pairEvolutionSpec', () => {
  it('draws one line per pair over steps with a zoomable step axis', () => {
    const spec = pairEvolutionSpec(fixtureRows(), 'grad_cos');
    const pairs = new Set(valuesOf(spec).map((v) => v.pair));
    expect(pairs).toEqual(new Set(['seg – depth', 'seg – normal', 'depth – normal']));
    expect(JSON.stringify(spec)).toContain('"bind":"scales"');
    expect(JSON.stringify(spec)).toContain('"datum":0'); // the conflict line
    expect(JSON.stringify(pairEvolutionSpec(fixtureRows(), 'fd_pair'))).not.toContain('"datum":0');
  });

  it('renders stable SVGs', async () => {
    await expect(await renderSvg(pairEvolutionSpec(fixtureRows(), 'fd_pair'))).toMatchFileSnapshot(
      '../__snapshots__/pair-fd-evolution.svg',
    );
    await expect(await renderSvg(pairEvolutionSpec(fixtureRows(), 'grad_cos'))).toMatchFileSnapshot(
      '../__snapshots__/pair-grad-cos-evolution.svg',
    );
  });

  it('throws a NoDataError without pair rows', () => {
    expect(() => pairEvolutionSpec(fixtureRows().filter((r) => r.metric !== 'fd_pair'), 'fd_pair')).toThrow(NoDataError);
  });
});
