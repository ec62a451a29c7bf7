// @mtl-fd/metrics: pure maths over captures and tables: FD, the Gram and loss
// identifiers, Ranking Similarity, Delta m, the tidy table and its formats.
// No tfjs, no charts, no worker threads.

// scoring a capture (all scores in one pass)
export { scoreCapture } from './score/scoreCapture.js';
export type { CaptureScores } from './score/scoreCapture.js';
export { scoreCaptures } from './score/scoreCaptures.js';
export type { ScoreProgress } from './score/scoreCaptures.js';
export type { CaptureSource } from './score/source.js';
export { runLevelRows } from './score/runLevelRows.js';
export { GRANULARITIES, NONFINITE_POLICIES, SALIENCIES, resolveScoreOptions } from './options/scoreOptions.js';
export { DEFAULT_SCORE_OPTIONS } from './options/scoreOptions.js';
export type { ScoreOptions } from './options/scoreOptions.js';
export { METRICS_VERSION } from './version.js';

// Feature Disentanglement
export { FdAccumulator } from './fd/accumulator.js';
export { computeFd } from './fd/computeFd.js';
export { pairEntropy, unitEntropy } from './fd/entropy.js';
export { pairIndex, taskPairs } from './fd/pairs.js';
export type { FdScores } from './fd/scores.js';

// task-gradient Gram identifiers
export { GramAccumulator, gramOf } from './gram/accumulate.js';
export { conditionNumber } from './gram/cond.js';
export { gramIdentifiers } from './gram/identifiers.js';
export type { GramIdentifiers } from './gram/identifiers.js';

// loss identifiers
export { dwaWeights, lossIdentifiers } from './loss/identifiers.js';
export { badLossWarnings } from './loss/badLosses.js';
export type { LossObservation } from './loss/badLosses.js';

// Ranking Similarity
export { identifierSeries, parseAt, valueAt } from './rank/at.js';
export type { At, IdentifierQuery } from './rank/at.js';
export { IDENTIFIER_DIRECTIONS, declaredDirection, orient, parseDirection } from './rank/directions.js';
export type { Direction } from './rank/directions.js';
export { kendallTauB } from './rank/kendall.js';
export { fromPerfCSV } from './rank/perf.js';
export type { PerfMetric } from './rank/perf.js';
export { averageRanks } from './rank/ranks.js';
export { rankingSimilarity } from './rank/similarity.js';
export { spearmanRho } from './rank/spearman.js';
export { rankingTable } from './rank/rankingTable.js';
export type { RankingTable, RankingTableOptions, RankingTableSettings } from './rank/rankingTable.js';
export { cellLabel, rankCell } from './rank/rankCell.js';
export type { RankCell, RankCellHead, RankCellOptions } from './rank/rankCell.js';
export { ALL_PAIRS, MEAN_OF_TASKS } from './rank/identifierVariants.js';
export { kendallPValue } from './rank/kendallPValue.js';
export type { KendallPValue, KendallPValueOptions, PValueMethod } from './rank/kendallPValue.js';
export { EXACT_MAX_RUNS, exactKendallPValue } from './rank/exactPermutation.js';
export { MONTE_CARLO_ORDERINGS, monteCarloKendallPValue } from './rank/monteCarloPermutation.js';
export { BOOTSTRAP_DEFAULTS, bootstrapTauB } from './rank/bootstrapInterval.js';
export { acrossSeeds } from './rank/acrossSeeds.js';
export type { AcrossSeeds, AcrossSeedsCell, AcrossSeedsColumn, SeedSpread, SeedTable } from './rank/acrossSeeds.js';
export type { BootstrapInterval, BootstrapOptions } from './rank/bootstrapInterval.js';

// seeded pseudo-random numbers (one generator for the Monte Carlo, the bootstrap, the demo, the tests)
export { SeededRandom } from './random/seededRandom.js';
export { labelSeed } from './random/labelSeed.js';

// Delta m
export { deltaM } from './delta/deltaM.js';
export type { DeltaM } from './delta/deltaM.js';

// the tidy table and its formats
export type { TidyRow } from './table/types.js';
export { fromCSV, toCSV } from './table/csv.js';
export { csvField, csvText } from './table/csvCell.js';
export { fromJSON, toJSON } from './table/json.js';
export { toArrowIPC } from './table/arrow.js';
export { toParquet } from './table/parquet.js';
export type { ParquetOptions } from './table/parquet.js';
export { fromJSONL, jsonlHeader, jsonlRow, toJSONL } from './table/jsonl.js';
export { fromTable, toTable } from './table/arquero.js';
export { METRIC_ORDER, sortRows, tidyValue } from './table/order.js';
export { readMetricsFile, readMetricsTable } from './table/readMetrics.js';

// TensorBoard event files (docs/tensorboard.md): appending a run's rows and findings as scalars and text
export { EVENT_FILE_VERSION } from './tensorboard/event.js';
export { eventFileName, isEventFileName, runEventDir, writtenSteps } from './tensorboard/eventFile.js';
export { RunEventLog } from './tensorboard/runEventLog.js';
export type { EventLogCounts } from './tensorboard/runEventLog.js';
export { FINDINGS_TAG, scalarTag } from './tensorboard/tidyScalars.js';
