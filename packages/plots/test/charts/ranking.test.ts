import { describe, expect, it } from 'vitest';
import { RHO, TAU_B, rankingColumns, rankingSimilaritySpec } from '../../src/charts/ranking.js';
import { MAX_ROW_WIDTH } from '../../src/theme.js';
import { NoDataError } from '../../src/errors.js';
import { parseRanking } from '../../src/ranking.js';
import { renderSvg } from '../../src/render.js';
import { fixtureRanking } from '../fixtures.js';
import { valuesOf } from '../helpers.js';

describe('rankingSimilaritySpec', () => {
  it('has a tau-b and a rho bar per identifier and test metric, labelled with where it was read and its direction', () => {
    const spec = rankingSimilaritySpec(parseRanking(fixtureRanking));
    const values = valuesOf(spec);
    expect(values).toHaveLength(3 * 2 * 2);
    expect(new Set(values.map((v) => v.statistic))).toEqual(new Set([TAU_B, RHO]));
    expect(values.map((v) => v.identifier)).toContain('fd_task[seg] (mean, higher_better)');
    expect(values.map((v) => v.identifier)).toContain('grad_conflict_frac (final, lower_better)');
    expect(values.find((v) => v.identifier === 'fd (mean, higher_better)' && v.statistic === TAU_B)!.value).toBe(0.6);
  });

  it('accepts one ranking object, and writes n/a for null statistics', async () => {
    const one = rankingSimilaritySpec(parseRanking(fixtureRanking[2]));
    expect(valuesOf(one).every((v) => String(v.identifier).startsWith('fd_task[seg]'))).toBe(true);
    const svg = await renderSvg(one);
    expect(svg).toContain('n/a');
    expect(svg).toContain('-0.60'.replace('-', '−'));
  });

  it('lists in each panel only the identifiers compared with its metric, and tells n/a (with its reason) from not compared', async () => {
    const ranking = [
      { identifier: 'fd', task: null, at: 'mean', direction: 'higher-better', results: [
        { perf_metric: 'seg_miou', perf_direction: 'higher-better', n_runs: 6, tau_b: 0.6, rho: 0.7, p_value: 0.03, na_reason: null },
        { perf_metric: 'delta_m', perf_direction: 'higher-better', n_runs: 6, tau_b: 0.2, rho: 0.3, p_value: 0.4, na_reason: null },
      ] },
      { identifier: 'fd_task', task: 'seg', at: 'mean', direction: 'higher-better', results: [
        { perf_metric: 'seg_miou', perf_direction: 'higher-better', n_runs: 6, tau_b: -0.2, rho: -0.1, p_value: 0.8, na_reason: null },
      ] },
      { identifier: 'rel_rate', task: 'mean of tasks', at: 'mean', direction: 'lower-better', results: [
        { perf_metric: 'delta_m', perf_direction: 'higher-better', n_runs: 6, tau_b: null, rho: null, p_value: null, na_reason: 'constant by construction' },
      ] },
    ];
    const spec = rankingSimilaritySpec(parseRanking(ranking));
    expect((spec as unknown as { resolve: { scale: { y: string } } }).resolve.scale.y).toBe('independent');
    const values = valuesOf(spec);
    // no row for a pair (identifier, panel) not compared
    expect(values.filter((v) => String(v.identifier).startsWith('fd_task')).map((v) => v.perf)).toEqual(['seg_miou (higher-better), 6 runs', 'seg_miou (higher-better), 6 runs']);
    expect(values.find((v) => String(v.identifier).startsWith('rel_rate'))).toMatchObject({ value: null, na_reason: 'constant by construction' });
    const svg = await renderSvg(spec);
    // each label once: fd_task only in the seg_miou panel, rel_rate only in delta_m's
    expect(svg.split('>fd_task[seg] (mean, higher-better)<').length - 1).toBe(1);
    expect(svg.split('>rel_rate[mean of tasks] (mean, lower-better)<').length - 1).toBe(1);
    expect(svg.split('>fd (mean, higher-better)<').length - 1).toBe(2);
    expect(svg).toContain('n/a');
    expect(svg).toContain('0.60*'); // p < 0.05
    expect(svg).not.toContain('0.20*');
  });

  it('fits the report column: two panels to a row only when their labels leave room, and a subtitle no wider', async () => {
    expect(rankingColumns(['fd (mean, higher-better)', 'grad_cond (mean, lower-better)'])).toBe(2);
    expect(rankingColumns(['grad_norm_share[mean of tasks] (mean, higher-better)'])).toBe(1);
    // the demo's table: 25 identifiers with long labels against 4 test metrics (its chart was 1353 px wide)
    const names = ['fd', 'fd_mass', 'grad_cos_mean', 'grad_conflict_frac', 'grad_cond'];
    const tasks = ['left', 'right', 'sum', 'mean of tasks'];
    const perfs = ['left_acc', 'right_acc', 'sum_mae', 'delta_m_maninis'];
    const result = (perf_metric: string) => ({ perf_metric, perf_direction: 'higher-better', n_runs: 6, tau_b: 0.47, rho: 0.6, p_value: 0.136, na_reason: null });
    const ranking = [
      ...names.map((identifier) => ({ identifier, task: null, at: 'mean', direction: 'higher-better', results: perfs.map(result) })),
      ...['grad_norm_share', 'loss_ratio', 'rel_rate', 'fd_task'].flatMap((identifier) =>
        tasks.map((task, i) => ({ identifier, task, at: 'mean', direction: 'higher-better', results: [result(perfs[i]!)] })),
      ),
    ];
    const svg = await renderSvg(rankingSimilaritySpec(parseRanking(ranking)));
    expect(Number(/<svg[^>]*\bwidth="([\d.]+)"/.exec(svg)![1])).toBeLessThanOrEqual(MAX_ROW_WIDTH);
  });

  it('throws a NoDataError for a ranking without results', () => {
    expect(() => rankingSimilaritySpec([{ identifier: 'fd', results: [] }])).toThrow(NoDataError);
  });

  it('renders a stable SVG', async () => {
    await expect(await renderSvg(rankingSimilaritySpec(parseRanking(fixtureRanking)))).toMatchFileSnapshot(
      '../__snapshots__/ranking-similarity.svg',
    );
  });
});
