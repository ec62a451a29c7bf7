/** One task's probe loss at one capture; null where it was NaN or infinite. */
export interface LossObservation {
  task: string;
  step: number;
  value: number | null;
}

const KINDS = [
  ['NaN or infinite', (v: number | null) => v === null || !Number.isFinite(v)],
  ['zero', (v: number | null) => v === 0],
  ['negative', (v: number | null) => v !== null && v < 0],
] as const;

function at(steps: readonly number[]): string {
  return steps.length === 1 ? `1 capture (step ${steps[0]})` : `${steps.length} captures (first at step ${steps[0]})`;
}

/**
 * One warning per task of `run` whose probe loss is NaN or infinite, zero or negative
 * at some capture (docs/metrics.md §6 assumes finite, positive losses), naming how
 * often and from which step. Tasks in order of first appearance; `losses` in step order.
 * Used by the run-level rows (score's warnings) and by diagnose on a table's `loss` rows.
 */
export function badLossWarnings(run: string, losses: Iterable<LossObservation>): string[] {
  const byTask = new Map<string, LossObservation[]>();
  for (const l of losses) {
    const list = byTask.get(l.task);
    if (list) list.push(l);
    else byTask.set(l.task, [l]);
  }
  const out: string[] = [];
  for (const [task, list] of byTask) {
    const parts = KINDS.map(([name, is]) => [name, list.filter((l) => is(l.value)).map((l) => l.step)] as const)
      .filter(([, steps]) => steps.length > 0)
      .map(([name, steps]) => `${name} at ${at(steps)}`);
    if (parts.length === 0) continue;
    out.push(
      `run '${run}': task '${task}' has a probe loss that is ${parts.join(' and ')}; the loss identifiers assume finite, positive losses (loss_share is null at a capture with a negative or non-finite loss, and loss_ratio, rel_rate and dwa there are not training rates)`,
    );
  }
  return out;
}
