import { describe, expect, it } from 'vitest';
import { ALL_RUNS, RUN_PARAM, RUNS_TOGETHER, fdTrajectorySpec } from '../../src/charts/trajectory.js';
import { NoDataError } from '../../src/errors.js';
import { renderSvg } from '../../src/render.js';
import { fixtureRows } from '../fixtures.js';
import { valuesOf } from '../helpers.js';

type Panel = { name?: string; title: { text: string }; layer?: { name?: string }[]; transform?: unknown[] };
const panels = (spec: unknown) => (spec as { vconcat: Panel[] }).vconcat;
const panelNames = (spec: unknown) => panels(spec).map((p) => p.name ?? p.layer?.[0]?.name);

describe('fdTrajectorySpec', () => {
  it('draws FD above loss_ratio, rel_rate, grad_cos_mean and grad_conflict_frac on one zoomable step axis', () => {
    const spec = fdTrajectorySpec(fixtureRows());
    expect(panelNames(spec)).toEqual([
      'trajectory_fd',
      'trajectory_loss_ratio',
      'trajectory_rel_rate',
      'trajectory_grad_cos_mean',
      'trajectory_grad_conflict_frac',
    ]);
    const s = spec as unknown as { params: { name: string; bind: string; views: string[] }[]; resolve: { scale: { x: string } } };
    expect(s.params[0]).toMatchObject({ name: 'zoom', bind: 'scales' });
    expect(s.params[0]!.views).toEqual(panelNames(spec));
    expect(s.resolve.scale.x).toBe('shared');
    // only the charted metrics are inlined, task-less ones under 'all tasks'
    const values = valuesOf(spec);
    expect(new Set(values.map((v) => v.metric))).toEqual(
      new Set(['fd', 'fd_task', 'loss_ratio', 'rel_rate', 'grad_cos_mean', 'grad_conflict_frac']),
    );
    expect(values.find((v) => v.metric === 'fd')!.series).toBe('all tasks');
    expect(new Set(values.map((v) => v.run))).toEqual(new Set(['equal', 'dominant']));
  });

  it('has a run selector: a select bound parameter every panel filters on; many runs open on the first', async () => {
    const two = fdTrajectorySpec(fixtureRows()) as unknown as { params: { name: string; value?: string; bind?: { input: string; options: string[] } }[] };
    const param = two.params.find((p) => p.name === RUN_PARAM)!;
    expect(param.bind).toMatchObject({ input: 'select', options: [ALL_RUNS, 'equal', 'dominant'] });
    expect(param.value).toBe(ALL_RUNS);
    for (const p of panels(two)) expect(JSON.stringify(p)).toContain(`datum.run === ${RUN_PARAM}`);

    const runs = ['a', 'b', 'c', 'd', 'e', 'f'].map((name, i) => ({ name, steps: [0, 100, 200], skew: i / 5 }));
    const six = fdTrajectorySpec(fixtureRows({ runs }));
    const p6 = (six as unknown as { params: { name: string; value?: string }[] }).params.find((p) => p.name === RUN_PARAM)!;
    expect(p6.value).toBe('a');
    expect(JSON.stringify((six as unknown as { title: unknown }).title)).toContain('shown here: a');
    // the static rendering draws the chosen run only
    const svg = await renderSvg(six);
    expect(svg).not.toContain('"b"');
    expect(RUNS_TOGETHER).toBeLessThan(6);

    const one = fdTrajectorySpec(fixtureRows({ runs: [{ name: 'solo', steps: [0, 1], skew: 0 }] })) as unknown as { params: { name: string }[] };
    expect(one.params.map((p) => p.name)).toEqual(['zoom']);
  });

  it('renders to a stable SVG', async () => {
    const svg = await renderSvg(fdTrajectorySpec(fixtureRows()));
    await expect(svg).toMatchFileSnapshot('../__snapshots__/fd-trajectory.svg');
    expect(svg).toContain('training step');
    expect(svg).toContain('FD (0–1)');
  });

  it('leaves out panels whose metrics are absent and says so', () => {
    const rows = fixtureRows().filter((r) => !r.metric.startsWith('loss') && r.metric !== 'rel_rate');
    const spec = fdTrajectorySpec(rows);
    expect(panelNames(spec)).toEqual(['trajectory_fd', 'trajectory_grad_cos_mean', 'trajectory_grad_conflict_frac']);
    expect(JSON.stringify((spec as { title: unknown }).title)).toContain('not in the table: loss_ratio, rel_rate');
  });

  it('throws a NoDataError naming the metrics when none is present', () => {
    expect(() => fdTrajectorySpec([])).toThrow(NoDataError);
    expect(() => fdTrajectorySpec(fixtureRows().filter((r) => r.metric === 'units'))).toThrow(/no fd, fd_task, loss_ratio/);
  });

  it('turns NaN and infinite values into null (a gap), keeping the row', async () => {
    const rows = fixtureRows().map((r) =>
      r.metric === 'fd_task' && r.task === 'seg' && r.step === 100 ? { ...r, value: Number.NaN } : r.metric === 'fd' && r.step === 200 ? { ...r, value: Infinity } : r,
    );
    const spec = fdTrajectorySpec(rows);
    const values = valuesOf(spec);
    expect(values.filter((v) => v.value === null)).toHaveLength(4);
    expect(JSON.stringify(spec)).not.toMatch(/NaN|Infinity/);
    expect(await renderSvg(spec)).toContain('<svg');
  });

  it('draws one capture, and runs of different lengths, without error', async () => {
    const one = fixtureRows({ runs: [{ name: 'solo', steps: [50], skew: 0 }] });
    const ragged = fixtureRows({
      runs: [
        { name: 'long', steps: [0, 100, 200, 300, 400], skew: 0 },
        { name: 'short', steps: [0, 100], skew: 1 },
      ],
    });
    for (const rows of [one, ragged]) {
      const svg = await renderSvg(fdTrajectorySpec(rows));
      expect(svg).toMatch(/^<svg/);
    }
    expect(JSON.stringify(fdTrajectorySpec(one))).toContain('run solo');
    const steps = (run: string) => valuesOf(fdTrajectorySpec(ragged)).filter((v) => v.run === run).map((v) => v.step as number);
    expect(Math.max(...steps('long'))).toBe(400);
    expect(Math.max(...steps('short'))).toBe(100);
  });
});
