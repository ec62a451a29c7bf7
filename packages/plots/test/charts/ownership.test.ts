import { describe, expect, it } from 'vitest';
import { taskOwnershipSpec } from '../../src/charts/ownership.js';
import { NoDataError } from '../../src/errors.js';
import { renderSvg } from '../../src/render.js';
import { fixtureRows } from '../fixtures.js';
import { valuesOf } from '../helpers.js';

describe('taskOwnershipSpec', () => {
  it('stacks grad_norm_share per task, one panel per run', () => {
    const spec = taskOwnershipSpec(fixtureRows());
    const values = valuesOf(spec);
    const at = (run: string, step: number) => values.filter((v) => v.run === run && v.step === step);
    expect(at('dominant', 300).reduce((s, v) => s + (v.value as number), 0)).toBeCloseTo(1, 3);
    expect((spec as unknown as { vconcat: unknown[] }).vconcat).toHaveLength(2);
    expect(JSON.stringify(spec)).toContain('"stack":"zero"');
    expect(JSON.stringify(spec)).toContain('grad_norm_share, stacked');
  });

  it('derives the shares from grad_norm when grad_norm_share is absent, and says so', () => {
    const rows = fixtureRows();
    const derived = taskOwnershipSpec(rows.filter((r) => r.metric !== 'grad_norm_share'));
    const direct = taskOwnershipSpec(rows);
    const pick = (spec: unknown) => valuesOf(spec).map((v) => [v.run, v.step, v.series, v.value] as const);
    const d = pick(derived);
    const s = pick(direct);
    expect(d).toHaveLength(s.length);
    d.forEach((row, i) => {
      expect(row.slice(0, 3)).toEqual(s[i]!.slice(0, 3));
      expect(row[3] as number).toBeCloseTo(s[i]![3] as number, 3);
    });
    expect(JSON.stringify(derived)).toContain('derived from grad_norm');
  });

  it('leaves out a capture where a share is null, and says so', async () => {
    const rows = fixtureRows({ runs: [{ name: 'r', steps: [0, 10, 20], skew: 0 }] })
      .filter((r) => r.metric !== 'grad_norm_share')
      .map((r) => (r.metric === 'grad_norm' && r.task === 'seg' && r.step === 10 ? { ...r, value: Number.NaN } : r));
    const spec = taskOwnershipSpec(rows);
    expect([...new Set(valuesOf(spec).map((v) => v.step))]).toEqual([0, 20]);
    expect(valuesOf(spec).every((v) => typeof v.value === 'number')).toBe(true);
    expect(JSON.stringify(spec)).toContain('left out, a share is null: r step 10');
    expect(await renderSvg(spec)).toMatch(/^<svg/);
  });

  it('draws one capture as a stacked bar, and throws when every capture has a null share', async () => {
    const one = fixtureRows({ runs: [{ name: 'r', steps: [7], skew: 0 }] });
    const spec = taskOwnershipSpec(one);
    expect(JSON.stringify(spec)).toContain('"type":"bar"');
    expect(await renderSvg(spec)).toMatch(/^<svg/);
    const nulls = one.map((r) => (r.metric === 'grad_norm_share' ? { ...r, value: null } : r));
    expect(() => taskOwnershipSpec(nulls)).toThrow(/every grad_norm_share capture has a null share \(r step 7\)/);
    expect(() => taskOwnershipSpec(fixtureRows().filter((r) => !r.metric.startsWith('grad_norm')))).toThrow(NoDataError);
  });

  it('renders a stable SVG', async () => {
    await expect(await renderSvg(taskOwnershipSpec(fixtureRows()))).toMatchFileSnapshot('../__snapshots__/task-ownership.svg');
  });
});
