export { identifierSeries, parseAt, valueAt, type At, type IdentifierQuery } from './at.js';
export { declaredDirection, IDENTIFIER_DIRECTIONS, orient, parseDirection, type Direction } from './directions.js';
export { kendallTauB } from './kendall.js';
export { averageRanks } from './ranks.js';
export { rankingSimilarity, type RankingSimilarity } from './similarity.js';
export { spearmanRho } from './spearman.js';
export { fromPerfCSV, type PerfMetric } from './perf.js';
