export { FdAccumulator, type FdAccumulatorInit } from './accumulator.js';
export { computeFd, toFloatArray, type FdInput } from './computeFd.js';
export { pairEntropy, unitEntropy } from './entropy.js';
export { unitGeometry, type UnitGeometry } from './geometry.js';
export { float32Bits, lnFloat32 } from './lnFloat32.js';
export { pairIndex, taskPairs, type TaskPairs } from './pairs.js';
export { fdFromSums, type FdScores } from './scores.js';
export { FdSums } from './sums.js';
