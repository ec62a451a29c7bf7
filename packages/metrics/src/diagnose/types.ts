export type Severity = 'info' | 'warning' | 'critical';

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

/** One thing `mtl-fd diagnose` found; the JSON output is `{findings: Finding[], ...}`. */
export interface Finding {
  kind: FindingKind;
  severity: Severity;
  run: string;
  /** the task(s) concerned; empty for a run-wide finding */
  tasks: string[];
  /** first and last step where it holds */
  steps: { from: number; to: number };
  /** metric values that triggered it */
  evidence: { metric: string; task?: string; task_b?: string; step?: number; value: number | null }[];
  /** one sentence saying what the finding means */
  message: string;
  /** one sentence of advice */
  advice: string;
  /** the report chart this concerns (plots chart id), when there is one */
  chart?: string;
}
