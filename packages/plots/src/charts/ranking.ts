import type { TopLevelSpec } from 'vega-lite';
import { NoDataError } from '../errors.js';
import { atLabel, identifierLabel } from '../ranking.js';
import type { Ranking } from '../types.js';
import { topLevel } from './common.js';

export const TAU_B = 'Kendall \u03c4-b';
export const RHO = 'Spearman \u03c1';

/**
 * Ranking Similarity: Kendall tau-b and Spearman rho of each identifier against each test-time
 * metric (one panel per test metric), as horizontal bars on [-1, 1]. Each identifier's label says
 * where it was read (`at`) and which direction it was taken to predict; null statistics
 * (too few runs, constant values) are written 'n/a'.
 */
export function rankingSimilaritySpec(ranking: Ranking | readonly Ranking[]): TopLevelSpec {
  const list: readonly Ranking[] = Array.isArray(ranking) ? ranking : [ranking as Ranking];
  const values = list.flatMap((r) => {
    const label = `${identifierLabel(r)} (${atLabel(r.at)}${r.direction ? `, ${r.direction}` : ''})`;
    return r.results.flatMap((res) => {
      const perf = `${res.perf_metric}${res.perf_direction ? ` (${res.perf_direction})` : ''}${
        Number.isFinite(res.n_runs) ? `, ${res.n_runs} runs` : ''
      }`;
      return [
        { identifier: label, perf, statistic: TAU_B, value: res.tau_b },
        { identifier: label, perf, statistic: RHO, value: res.rho },
      ];
    });
  });
  if (values.length === 0) throw new NoDataError('Ranking Similarity: the ranking has no results');
  const identifiers = [...new Set(values.map((v) => v.identifier))];
  const perfs = [...new Set(values.map((v) => v.perf))];
  const y = { field: 'identifier', type: 'nominal', title: null, sort: identifiers, axis: { labelLimit: 360 } };
  const tooltip = [
    { field: 'identifier', type: 'nominal' },
    { field: 'perf', type: 'nominal', title: 'test metric' },
    { field: 'statistic', type: 'nominal' },
    { field: 'value', type: 'quantitative', format: '.3f' },
  ];
  return topLevel(
    {
      transform: [
        { calculate: "isValid(datum.value) ? format(datum.value, '.2f') : 'n/a'", as: 'label' },
        { calculate: 'isValid(datum.value) ? datum.value : 0', as: 'x' },
      ],
      // one panel per test metric, two to a row
      facet: { field: 'perf', type: 'nominal', title: null, sort: perfs },
      columns: 2,
      spacing: { column: 40, row: 24 },
      spec: {
        width: 300,
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
              tooltip,
            },
          },
        ],
      },
    },
    'Ranking Similarity: do the identifiers order runs as the test results do?',
    [
      `${TAU_B} and ${RHO} of each identifier against each test metric (one panel each) over runs; +1 = same order, \u22121 = reversed`,
      'identifiers labelled (read at, predicted direction); both oriented larger = better; n/a = undefined (too few runs or ties)',
    ],
    values,
  );
}
