import { describe, expect, it } from 'vitest';
import { RHO, TAU_B, rankingSimilaritySpec } from '../../src/charts/ranking.js';
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

  it('throws a NoDataError for a ranking without results', () => {
    expect(() => rankingSimilaritySpec([{ identifier: 'fd', results: [] }])).toThrow(NoDataError);
  });

  it('renders a stable SVG', async () => {
    await expect(await renderSvg(rankingSimilaritySpec(parseRanking(fixtureRanking)))).toMatchFileSnapshot(
      '../__snapshots__/ranking-similarity.svg',
    );
  });
});
