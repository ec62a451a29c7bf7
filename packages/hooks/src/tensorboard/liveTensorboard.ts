import { RunEventLog, runEventDir, runLevelRows } from '@mtl-fd/metrics';
import { BackgroundScorer, type CaptureResult } from '@mtl-fd/sweep';
import { FailureLog } from '../run/failureLog.js';

/**
 * A training's captures as TensorBoard scalars, live: each capture, once written, is
 * scored in a worker thread (BackgroundScorer) and its rows, with the run-level loss
 * identifiers so far, are appended to `<logdir>/<run>/`. Nothing of this is on the
 * training's path: `add` returns at once, and a failure is logged (each distinct error
 * once) without stopping anything. `close` waits for what is queued.
 */
export class LiveTensorboard {
  private readonly scorer = new BackgroundScorer();
  private readonly results: CaptureResult[] = [];
  private readonly failures: FailureLog;
  private log: Promise<RunEventLog> | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly logdir: string,
    private readonly run: string,
    log: (message: string) => void,
  ) {
    this.failures = new FailureLog(log);
  }

  /** how many captures could not be scored or written */
  get failureCount(): number {
    return this.failures.count;
  }

  /** Queues the capture `file`; returns at once. */
  add(file: string): void {
    this.queue = this.queue.then(() =>
      this.write(file).catch((err: unknown) => this.failures.report(err, `TensorBoard scalars of ${file} (${this.logdir})`)),
    );
  }

  private async write(file: string): Promise<void> {
    const result = await this.scorer.score(file);
    this.results.push(result);
    // loss identifiers at a step depend on that step and earlier ones only: the new steps' rows are final
    const runLevel = runLevelRows(this.results).rows.filter((r) => r.step === result.step);
    this.log ??= RunEventLog.open(runEventDir(this.logdir, this.run));
    await (await this.log).add([...result.rows, ...runLevel]);
  }

  /** Waits for the queued captures, then stops the scoring thread. */
  async close(): Promise<void> {
    await this.queue;
    await this.scorer.close();
  }
}
