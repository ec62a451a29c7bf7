import { detectConflictSpikes } from './conflictSpike.js';
import { detectDeadTasks } from './deadTask.js';
import type { Detector } from './detector.js';
import { detectDominanceDisentanglement } from './dominanceDisentanglement.js';
import { detectEntanglementCollapse } from './entanglementCollapse.js';
import { detectGradientConflicts } from './gradientConflict.js';
import { detectIllConditioned } from './illConditioned.js';
import { detectLaggingTasks } from './laggingTask.js';
import { detectStarvedTasks } from './starvedTask.js';

/** Every table-based detector (the numerical-hazard scan works on capture files, see hazard/). */
export const TABLE_DETECTORS: readonly Detector[] = [
  detectDeadTasks,
  detectStarvedTasks,
  detectGradientConflicts,
  detectConflictSpikes,
  detectLaggingTasks,
  detectDominanceDisentanglement,
  detectEntanglementCollapse,
  detectIllConditioned,
];

export { deadCaptures, isDeadAt } from './deadTask.js';
export type { DeadCaptures, Detector, DetectorContext } from './detector.js';
