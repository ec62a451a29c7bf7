import type { RunDelta } from './analysis.js';
import type { TaskName } from './data.js';
import type { TestResult } from './evaluate.js';
import type { MethodId } from './methods.js';
import type { EpochRecord } from './train.js';

/** What the demo keeps of one trained run: its test results, Delta m and identifiers. */
export interface RunSummary {
  name: string;
  kind: 'mtl' | 'stl';
  method?: MethodId;
  label: string;
  description: string;
  dir: string;
  tasks: TaskName[];
  test: TestResult[];
  delta_m?: RunDelta;
  /** identifier values at the last capture */
  final?: Record<string, number | null | Record<string, number | null>>;
  history: EpochRecord[];
  steps: number;
  captures: number;
  seconds: number;
}
