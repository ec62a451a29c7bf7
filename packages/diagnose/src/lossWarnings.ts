import { badLossWarnings, type LossObservation, type TidyRow } from '@mtl-fd/metrics';

/**
 * The warnings for probe losses that are NaN or infinite (a null `loss` row), zero or
 * negative, from a table's `loss` rows: once per run and task (badLossWarnings), runs
 * in order of first appearance, each run's captures in step order.
 */
export function tableLossWarnings(rows: readonly TidyRow[]): string[] {
  const byRun = new Map<string, LossObservation[]>();
  for (const r of rows) {
    if (r.metric !== 'loss' || r.task === '') continue;
    const list = byRun.get(r.run);
    const observation = { task: r.task, step: r.step, value: r.value };
    if (list) list.push(observation);
    else byRun.set(r.run, [observation]);
  }
  const out: string[] = [];
  for (const [run, list] of byRun) {
    for (const w of badLossWarnings(run, [...list].sort((a, b) => a.step - b.step))) out.push(w);
  }
  return out;
}
