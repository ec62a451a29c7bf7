export { GRANULARITIES, NONFINITE_POLICIES, resolveScoreOptions, SALIENCIES } from './options.js';
export { fdRows, gramRows, lossIdentifierRows, lossRows, type RowKey } from './rows.js';
export { scoreCapture, type CaptureScores } from './scoreCapture.js';
export { scoreCaptures, type ScoredCaptures, type ScoreProgress } from './scoreCaptures.js';
export { prefetched, rowBlocks, type CaptureSource } from './source.js';
export { runLevelRows, type ScoredCaptureSummary } from './runLevelRows.js';
