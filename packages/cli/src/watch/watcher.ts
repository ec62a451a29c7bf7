import { dirname, join } from 'node:path';
import { displayName, writeFileAtomic } from '@mtl-fd/capture';
import { diagnose, diagnoseWithCaptures, type Finding } from '@mtl-fd/diagnose';
import { toJSON, type ScoreOptions, type TidyRow } from '@mtl-fd/metrics';
import { writeReport } from '@mtl-fd/plots';
import { scoreSweep, type SweepResult } from '@mtl-fd/sweep';
import type { CliIO } from '../io.js';
import { warn } from '../output.js';
import { describeCounts, findingText, TensorboardLogs } from '../tensorboardLogs.js';
import { allFinished, captureStamp, watchedRunDirs } from './runDirs.js';

export interface WatchOptions {
  paths: string[];
  options: ScoreOptions;
  /** report directory, rewritten when the tables change */
  out?: string;
  /** TensorBoard log directory */
  logdir?: string;
  /** seconds between looks */
  interval: number;
  /** worker threads for a look that finds several new captures */
  workers: number;
  /** resolves when the user asks to stop (Ctrl-C) */
  stopRequested: () => boolean;
  /** waits `ms` or until a stop is asked for */
  sleep: (ms: number) => Promise<void>;
}

export interface WatchSummary {
  captures: number;
  /** scorings done (a capture scored before, by this watch or not, comes from the cache) */
  scored: number;
  reason: 'finished' | 'interrupted';
}

const findingKey = (f: Finding) => `${f.run}\n${f.kind}\n${f.tasks.join(',')}`;

/**
 * Follows run directories while they train. Each look scores what is new (the sweep's
 * cache answers for the rest); a capture that does not read yet (being written in
 * place by a foreign writer) is waited for, and only reported if it is still bad at
 * the end. When the good captures change, each run's metrics.json, the report and the
 * event files are rewritten or appended, and new findings are printed. It stops on
 * request or when every run's run.json has `finishedAt`, after one last look.
 */
export async function watchRuns(w: WatchOptions, io: CliIO, command: string): Promise<WatchSummary> {
  const logs = w.logdir === undefined ? undefined : new TensorboardLogs(w.logdir);
  const printed = new Set<string>();
  let scored = 0;
  let lastStamp: string | undefined;
  let lastGood: string | undefined;
  let last: SweepResult | undefined;
  let runDirs: string[] = [];
  for (;;) {
    // finished is read before the look: captures are all written before finishedAt is
    const reason = w.stopRequested() ? 'interrupted' : (await allFinished(await watchedRunDirs(w.paths))) ? 'finished' : undefined;
    runDirs = await watchedRunDirs(w.paths);
    const stamp = await captureStamp(runDirs);
    if (stamp !== '' && (stamp !== lastStamp || reason !== undefined)) {
      lastStamp = stamp;
      const result = await scoreSweep(runDirs, w.options, { workers: w.workers, onBadCapture: 'warn' });
      scored += result.stats.scored;
      const good = result.captures.map((c) => c.file).join('\n');
      if (good !== lastGood && result.captures.length > 0) {
        lastGood = good;
        last = result;
        await publish(result, runDirs, w, logs, printed, io, command);
      }
      if (reason !== undefined) {
        for (const warning of result.warnings) warn(io, command, warning);
        last = result;
      }
    }
    if (reason !== undefined) {
      if (last && last.captures.length > 0) {
        const findings = await diagnoseWithCaptures(last.rows, last.captures.map((c) => c.file));
        printNew(findings, printed, io);
        if (w.out !== undefined) await report(w.out, last, findings);
        if (logs) io.stderr(`mtl-fd ${command}: ${describeCounts(logs.logdir, await logs.add(last.rows, findings))}\n`);
      }
      return { captures: last?.captures.length ?? 0, scored, reason };
    }
    await w.sleep(w.interval * 1000);
  }
}

function printNew(findings: readonly Finding[], printed: Set<string>, io: CliIO): void {
  for (const f of findings) {
    if (printed.has(findingKey(f))) continue;
    printed.add(findingKey(f));
    io.stdout(displayName(`${f.run}: ${findingText(f).replace(/\*\*/g, '')}`) + '\n');
  }
}

async function report(out: string, result: SweepResult, findings: Finding[]): Promise<void> {
  await writeReport(out, { rows: result.rows, options: { ...result.options }, findings });
}

/** The tables of a look: each run directory's metrics.json, the report, the scalars, new findings. */
async function publish(
  result: SweepResult,
  runDirs: readonly string[],
  w: WatchOptions,
  logs: TensorboardLogs | undefined,
  printed: Set<string>,
  io: CliIO,
  command: string,
): Promise<void> {
  const dirOfRun = new Map<string, string>();
  for (const c of result.captures) dirOfRun.set(c.run, dirname(dirname(c.file)));
  for (const dir of runDirs) {
    const rows: TidyRow[] = result.rows.filter((r) => dirOfRun.get(r.run) === dir);
    if (rows.length > 0) await writeFileAtomic(join(dir, 'metrics.json'), toJSON(rows, result.options));
  }
  const findings = diagnose(result.rows);
  printNew(findings, printed, io);
  if (w.out !== undefined) await report(w.out, result, findings);
  // findings go into the event files at the end (a finding's first step can be one already written)
  if (logs) await logs.add(result.rows);
  io.stderr(`mtl-fd ${command}: ${result.captures.length} capture(s) of ${runDirs.length} run(s) scored so far\n`);
}
