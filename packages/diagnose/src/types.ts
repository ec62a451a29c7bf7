export type Severity = 'info' | 'warning' | 'critical';

/** Most severe first: the order findings are sorted in. */
export const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];

export type FindingKind =
  | 'dead_task'
  | 'starved_task'
  | 'gradient_conflict'
  | 'conflict_spike'
  | 'lagging_task'
  | 'dominance_disentanglement'
  | 'entanglement_collapse'
  | 'ill_conditioned'
  | 'numerical_hazard';

/** Every kind, in the order findings of equal severity and run are listed. */
export const FINDING_KINDS: readonly FindingKind[] = [
  'dead_task',
  'starved_task',
  'gradient_conflict',
  'conflict_spike',
  'lagging_task',
  'dominance_disentanglement',
  'entanglement_collapse',
  'ill_conditioned',
  'numerical_hazard',
];

/** The family of report charts a finding concerns; the report links it to its concrete chart (e.g. `pairwise` -> the fd_pair or grad_cos matrix). */
export type FindingChart = 'fd-trajectory' | 'pairwise' | 'ownership' | 'ranking';

/** One metric value that triggered a finding. */
export interface Evidence {
  /** a tidy-table metric name, or a capture-scan statistic (`zero_frac`, `subnormal_frac`) */
  metric: string;
  task?: string;
  task_b?: string;
  step?: number;
  /** null where the table holds null (NaN, or an infinite cond) */
  value: number | null;
}

/** One thing `mtl-fd diagnose` found; the JSON output is `{version, options, findings: Finding[]}`. */
export interface Finding {
  kind: FindingKind;
  severity: Severity;
  run: string;
  /** the task(s) concerned; empty for a run-wide finding */
  tasks: string[];
  /** first and last step where it holds */
  steps: { from: number; to: number };
  /** metric values that triggered it */
  evidence: Evidence[];
  /** one sentence saying what the finding means */
  message: string;
  /** one sentence of advice */
  advice: string;
  /** the report chart this concerns (plots chart id), when there is one */
  chart?: FindingChart;
}
