import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
// @ts-expect-error: a plain .mjs script of the repository, without type declarations
import { apiSection } from '../../../scripts/api-reference.mjs';

// The public surface of @mtl-fd/metrics, named one by one (as ml-matrix's exports test does):
// a name added or removed here is a decision, made together with its README entry.
const VALUES = [
  'ALL_PAIRS',
  'BOOTSTRAP_DEFAULTS',
  'DEFAULT_SCORE_OPTIONS',
  'EXACT_MAX_RUNS',
  'FdAccumulator',
  'GRANULARITIES',
  'GramAccumulator',
  'IDENTIFIER_DIRECTIONS',
  'MEAN_OF_TASKS',
  'METRICS_VERSION',
  'METRIC_ORDER',
  'MONTE_CARLO_ORDERINGS',
  'NONFINITE_POLICIES',
  'SALIENCIES',
  'SeededRandom',
  'averageRanks',
  'bootstrapTauB',
  'cellLabel',
  'computeFd',
  'conditionNumber',
  'declaredDirection',
  'deltaM',
  'dwaWeights',
  'exactKendallPValue',
  'fromCSV',
  'fromJSON',
  'fromJSONL',
  'fromPerfCSV',
  'fromTable',
  'gramIdentifiers',
  'gramOf',
  'identifierSeries',
  'jsonlHeader',
  'jsonlRow',
  'kendallPValue',
  'kendallTauB',
  'labelSeed',
  'lossIdentifiers',
  'monteCarloKendallPValue',
  'orient',
  'pairEntropy',
  'pairIndex',
  'parseAt',
  'parseDirection',
  'rankCell',
  'rankingSimilarity',
  'rankingTable',
  'readMetricsFile',
  'readMetricsTable',
  'resolveScoreOptions',
  'runLevelRows',
  'scoreCapture',
  'scoreCaptures',
  'sortRows',
  'spearmanRho',
  'taskPairs',
  'tidyValue',
  'toArrowIPC',
  'toCSV',
  'toJSON',
  'toJSONL',
  'toParquet',
  'toTable',
  'unitEntropy',
  'valueAt',
];

describe('@mtl-fd/metrics exports', () => {
  it('exports exactly its documented values', () => {
    expect(Object.keys(api).sort()).toEqual(VALUES);
  });

  it('documents every export in its README (API reference, up to date)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain((apiSection as (pkg: string) => string)('metrics'));
  });
});
