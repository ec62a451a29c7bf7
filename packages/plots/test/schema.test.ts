import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCharts } from '../src/charts/index.js';
import { taskOwnershipSpec } from '../src/charts/ownership.js';
import { pairMatrixSpec } from '../src/charts/pairs.js';
import { rankingSimilaritySpec } from '../src/charts/ranking.js';
import { parseRanking } from '../src/ranking.js';
import { CHART_IDS } from '../src/types.js';
import { fixtureRanking, fixtureRows } from './fixtures.js';
import { expectValidSpec, vegaLiteValidator } from './helpers.js';

const example = (id: string) => new URL(`../examples/${id}.vl.json`, import.meta.url);

describe('Vega-Lite schema', () => {
  it('rejects a broken spec (the validator is live)', () => {
    expect(vegaLiteValidator()({ mark: 'bar', encoding: { x: { field: 'a', type: 'nominalish' } }, data: { values: [] } })).toBe(false);
  });

  it('every chart of the fixture table validates, and matches its committed example', async () => {
    const charts = buildCharts(fixtureRows(), { ranking: parseRanking(fixtureRanking) });
    expect(charts.map((c) => c.id)).toEqual([...CHART_IDS]);
    for (const chart of charts) {
      expectValidSpec(chart.spec);
      await expect(`${JSON.stringify(chart.spec, null, 2)}\n`).toMatchFileSnapshot(`../examples/${chart.id}.vl.json`);
    }
  });

  it('the committed example specs validate', () => {
    for (const id of CHART_IDS) expectValidSpec(JSON.parse(readFileSync(example(id), 'utf8')));
  });

  it('edge-case tables give valid specs: one capture, one pair, nulls, ragged runs, --step, derived shares, one ranking', () => {
    const tables = [
      fixtureRows({ runs: [{ name: 'one', steps: [10], skew: 0 }] }),
      fixtureRows({ tasks: ['a', 'b'] }),
      fixtureRows().map((r, i) => (i % 3 === 0 ? { ...r, value: null } : r)),
      fixtureRows({
        runs: [
          { name: 'long', steps: [0, 100, 200, 300, 400], skew: 0 },
          { name: 'short', steps: [0, 100], skew: 1 },
        ],
      }),
    ];
    for (const rows of tables) {
      for (const chart of buildCharts(rows, { step: 150 })) if (chart.spec) expectValidSpec(chart.spec);
    }
    expectValidSpec(taskOwnershipSpec(fixtureRows().filter((r) => r.metric !== 'grad_norm_share')));
    expectValidSpec(pairMatrixSpec(fixtureRows(), 'grad_cos', { step: 1e9 }));
    expectValidSpec(rankingSimilaritySpec(parseRanking(fixtureRanking[2])));
  });
});
