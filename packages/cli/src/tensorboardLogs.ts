import { RunEventLog, runEventDir, type EventLogCounts, type TidyRow } from '@mtl-fd/metrics';
import type { Finding } from '@mtl-fd/diagnose';

/** A finding as one markdown line of the `mtl-fd/findings` text summary. */
export function findingText(f: Finding): string {
  const tasks = f.tasks.length > 0 ? ` (${f.tasks.join(', ')})` : '';
  return `**${f.severity}** ${f.kind}${tasks}, steps ${f.steps.from}-${f.steps.to}: ${f.message} ${f.advice}`;
}

/**
 * The TensorBoard log directory of several runs, `<logdir>/<run>/` each: rows and
 * findings go to their run's RunEventLog (opened on first use, so it reads back what
 * is there once), and only what is not written yet is added.
 */
export class TensorboardLogs {
  private readonly logs = new Map<string, Promise<RunEventLog>>();

  constructor(readonly logdir: string) {}

  private log(run: string): Promise<RunEventLog> {
    let log = this.logs.get(run);
    if (!log) this.logs.set(run, (log = RunEventLog.open(runEventDir(this.logdir, run))));
    return log;
  }

  async add(rows: readonly TidyRow[], findings: readonly Finding[] = []): Promise<EventLogCounts & { runs: number }> {
    const byRun = new Map<string, { rows: TidyRow[]; texts: { step: number; text: string }[] }>();
    const of = (run: string) => {
      let r = byRun.get(run);
      if (!r) byRun.set(run, (r = { rows: [], texts: [] }));
      return r;
    };
    for (const row of rows) of(row.run).rows.push(row);
    for (const f of findings) of(f.run).texts.push({ step: f.steps.from, text: findingText(f) });
    const total = { scalars: 0, texts: 0, skippedNull: 0, skippedWritten: 0, runs: byRun.size };
    for (const [run, { rows: runRows, texts }] of byRun) {
      const counts = await (await this.log(run)).add(runRows, texts);
      total.scalars += counts.scalars;
      total.texts += counts.texts;
      total.skippedNull += counts.skippedNull;
      total.skippedWritten += counts.skippedWritten;
    }
    return total;
  }
}

/** The summary line of a write: what went in and what was left out. */
export function describeCounts(logdir: string, c: EventLogCounts & { runs: number }): string {
  return `${logdir}: ${c.scalars} scalar(s) and ${c.texts} findings text(s) written for ${c.runs} run(s); ${c.skippedNull} null value(s) skipped, ${c.skippedWritten} already written`;
}
