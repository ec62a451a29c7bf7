import type { TopLevelSpec } from 'vega-lite';
import { NoDataError } from '../errors.js';
import { atLabel, identifierLabel } from '../ranking.js';
import type { Ranking } from '../types.js';
import { dejaVuWidth } from '../textWidth.js';
import { MAX_ROW_WIDTH } from '../theme.js';
import { topLevel } from './common.js';

export const TAU_B = 'Kendall \u03c4-b';
export const RHO = 'Spearman \u03c1';

/** Cells whose p-value is below this get a '*' after their tau-b. */
export const STAR_BELOW = 0.05;

/** A panel's bar area, the longest identifier label it shows (axis labelLimit), and the room for values past the bars, the gap and the legend (px). */
export const RANKING_PANEL_WIDTH = 180;
export const RANKING_LABEL_LIMIT = 300;
export const RANKING_PANEL_EXTRA = 80;
export const RANKING_LEGEND = 130;

/** Panels to a row (1 or 2): two only when two panels with their identifier labels fit the report's column. */
export function rankingColumns(labels: readonly string[]): number {
  const label = labels.reduce((m, l) => Math.max(m, Math.min(RANKING_LABEL_LIMIT, dejaVuWidth(l, 11, false))), 0);
  const panel = label + RANKING_PANEL_WIDTH + RANKING_PANEL_EXTRA;
  return 2 * panel + RANKING_LEGEND <= MAX_ROW_WIDTH ? 2 : 1;
}

/**
 * Ranking Similarity: Kendall tau-b and Spearman rho of each identifier against each test-time
 * metric (one panel per test metric, two to a row when they fit), as horizontal bars on [-1, 1]. Each
 * identifier's label says where it was read (`at`) and which direction it was taken to predict.
 * A panel lists only the identifiers compared with its metric (a per-task identifier appears in
 * its task's panels only): a row missing from a panel was not compared; a row written 'n/a' was
 * compared but is not computed (too few runs, constant by construction or by its values; the
 * reason in the tooltip). tau-b carries '*' when its permutation p-value is below 0.05.
 */
export function rankingSimilaritySpec(ranking: Ranking | readonly Ranking[]): TopLevelSpec {
  const list: readonly Ranking[] = Array.isArray(ranking) ? ranking : [ranking as Ranking];
  const values = list.flatMap((r) => {
    const label = `${identifierLabel(r)} (${atLabel(r.at)}${r.direction ? `, ${r.direction}` : ''})`;
    return r.results.flatMap((res) => {
      const perf = `${res.perf_metric}${res.perf_direction ? ` (${res.perf_direction})` : ''}${
        Number.isFinite(res.n_runs) ? `, ${res.n_runs} runs` : ''
      }`;
      const na = res.na_reason ?? (res.tau_b === null ? 'not computed' : null);
      const p = res.p_value ?? null;
      const star = p !== null && p < STAR_BELOW ? '*' : '';
      return [
        { identifier: label, perf, statistic: TAU_B, value: na === null ? res.tau_b : null, p_value: p, star, na_reason: na },
        { identifier: label, perf, statistic: RHO, value: na === null ? res.rho : null, p_value: null, star: '', na_reason: na },
      ];
    });
  });
  if (values.length === 0) throw new NoDataError('Ranking Similarity: the ranking has no results');
  const identifiers = [...new Set(values.map((v) => v.identifier))];
  const perfs = [...new Set(values.map((v) => v.perf))];
  const y = { field: 'identifier', type: 'nominal', title: null, sort: identifiers, axis: { labelLimit: RANKING_LABEL_LIMIT } };
  const hasP = values.some((v) => v.p_value !== null);
  const tooltip = [
    { field: 'identifier', type: 'nominal' },
    { field: 'perf', type: 'nominal', title: 'test metric' },
    { field: 'statistic', type: 'nominal' },
    { field: 'value', type: 'quantitative', format: '.3f' },
    ...(hasP ? [{ field: 'p_value', type: 'quantitative', title: 'p-value (tau-b)', format: '.3g' }] : []),
    { field: 'na_reason', type: 'nominal', title: 'n/a because' },
  ];
  return topLevel(
    {
      transform: [
        { calculate: "isValid(datum.value) ? format(datum.value, '.2f') + datum.star : 'n/a'", as: 'label' },
        { calculate: 'isValid(datum.value) ? datum.value : 0', as: 'x' },
      ],
      // one panel per test metric, two to a row when they fit the report's column
      facet: { field: 'perf', type: 'nominal', title: null, sort: perfs },
      columns: rankingColumns(identifiers),
      spacing: { column: 40, row: 24 },
      // each panel lists its own identifiers: rows not compared with a panel's metric are left out
      resolve: { scale: { y: 'independent' } },
      spec: {
        width: RANKING_PANEL_WIDTH,
        height: { step: 11, for: 'offset' },
        encoding: { y },
        layer: [
          {
            mark: { type: 'bar', tooltip: true },
            encoding: {
              x: {
                field: 'x',
                type: 'quantitative',
                title: 'rank correlation (−1 to 1)',
                scale: { domain: [-1, 1] },
                // the zero line drawn as a dark grid line
                axis: { values: [-1, -0.5, 0, 0.5, 1], gridColor: { condition: { test: 'datum.value === 0', value: '#555' }, value: '#e6e6e6' } },
              },
              yOffset: { field: 'statistic', type: 'nominal', sort: [TAU_B, RHO] },
              color: { field: 'statistic', type: 'nominal', title: 'statistic', scale: { domain: [TAU_B, RHO], range: ['#4c78a8', '#f58518'] } },
              tooltip,
            },
          },
          {
            mark: {
              type: 'text',
              fontSize: 11,
              align: { expr: "datum.x < 0 ? 'right' : 'left'" },
              dx: { expr: 'datum.x < 0 ? -3 : 3' },
            },
            encoding: {
              x: { field: 'x', type: 'quantitative' },
              yOffset: { field: 'statistic', type: 'nominal', sort: [TAU_B, RHO] },
              text: { field: 'label', type: 'nominal' },
              // n/a in grey, apart from the numbers
              color: { condition: { test: '!isValid(datum.value)', value: '#888' }, value: '#222' },
              tooltip,
            },
          },
        ],
      },
    },
    'Ranking Similarity: do the identifiers order runs as the test results do?',
    // short lines: a subtitle wider than the panels would widen the chart past the report's column
    [
      `${TAU_B} and ${RHO} of each identifier against each test metric (one panel each) over runs; +1 = same order, \u22121 = reversed`,
      'identifiers labelled (read at, predicted direction); both oriented larger = better;',
      `n/a = compared but not computed (reason in the tooltip); a panel lists only the identifiers compared with its metric${hasP ? `; * = permutation p < ${STAR_BELOW}` : ''}`,
    ],
    values,
  );
}
