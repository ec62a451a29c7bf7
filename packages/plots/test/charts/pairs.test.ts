import { describe, expect, it } from 'vitest';
import { HEATMAP_CHROME, HEATMAP_FORMAT, HEATMAP_GAP, heatmapDomain, pairEvolutionSpec, pairMatrixSpec } from '../../src/charts/pairs.js';
import { MAX_ROW_WIDTH } from '../../src/theme.js';
import { formatValue } from '../../src/data.js';
import { NoDataError } from '../../src/errors.js';
import { renderSvg } from '../../src/render.js';
import { fixtureRows } from '../fixtures.js';
import { valuesOf } from '../helpers.js';

type Cell = { run: string; step: number; row: string; col: string; value: number | null; panel: string };
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
    expect(cells(spec).map((x) => x.value)).toEqual([null, null]);
    const svg = await renderSvg(spec);
    expect(svg).toContain('n/a');
  });

  it('fits its colour scale to the values shown and writes every number in one format', async () => {
    const spec = pairMatrixSpec(fixtureRows(), 'fd_pair') as unknown as Record<string, unknown>;
    const shown = cells(spec).map((x) => x.value!);
    const text = JSON.stringify(spec);
    const domain = JSON.parse(text.match(/"scheme":"viridis","domain":(\[[^\]]*\])/)![1]!);
    expect(domain).toEqual([Math.min(...shown), Math.max(...shown)]);
    expect(domain[1] - domain[0]).toBeLessThan(0.5); // not the metric's whole 0..1
    // cell text, legend and tooltip share one format
    expect(text).toContain(`format(datum.value, '${HEATMAP_FORMAT}')`);
    expect(text).toContain(`"format":"${HEATMAP_FORMAT}","gradientLength"`);
    expect(text.match(/"format":"[^"]*"/g)!.every((f) => f === `"format":"${HEATMAP_FORMAT}"`)).toBe(true);
    const svg = await renderSvg(spec as never);
    expect(svg).toContain(formatValue(shown[0]!, 2).padEnd(4, '0'));
    // grad_cos: diverging, symmetric about 0 so that 0 stays white
    const cos = JSON.stringify(pairMatrixSpec(fixtureRows(), 'grad_cos'));
    const cosValues = cells(pairMatrixSpec(fixtureRows(), 'grad_cos')).map((x) => x.value!);
    const m = Math.max(...cosValues.map(Math.abs));
    expect(JSON.parse(cos.match(/"scheme":"redblue","domain":(\[[^\]]*\])/)![1]!)).toEqual([-m, m]);
    expect(cos).toContain('"domainMid":0');
    expect(heatmapDomain([0.5, 0.5], { range: [0, 1], diverging: false })).toEqual([0.49, 0.51]);
    expect(heatmapDomain([null], { range: [0, 1], diverging: false })).toEqual([0, 1]);
  });

  it('wraps one matrix per run into rows that fit the report (6 runs)', () => {
    const runs = ['a', 'b', 'c', 'd', 'e', 'f'].map((name, i) => ({ name, steps: [0, 100], skew: i / 5 }));
    const spec = pairMatrixSpec(fixtureRows({ runs }), 'fd_pair') as unknown as { columns: number; spec: { width: { step: number } } };
    expect(spec.columns).toBeGreaterThan(1);
    expect(spec.columns).toBeLessThan(6);
    expect(spec.columns * (spec.spec.width.step * 3 + HEATMAP_GAP) + HEATMAP_CHROME).toBeLessThanOrEqual(MAX_ROW_WIDTH);
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
