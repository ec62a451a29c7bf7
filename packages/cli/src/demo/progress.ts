import type { CliIO } from '../io.js';

function fmtSeconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '--';
  if (s < 60) return `${s.toFixed(0)}s`;
  return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}

/**
 * A progress bar for one training run on stderr: redrawn in place (at most ~10
 * times a second) when stderr is a terminal, one plain line per epoch otherwise.
 */
export class Progress {
  private readonly start = performance.now();
  private lastDraw = 0;
  private done = 0;
  private readonly total: number;

  constructor(
    private readonly io: CliIO,
    private readonly label: string,
    private readonly epochs: number,
    private readonly stepsPerEpoch: number,
    private readonly index: string,
  ) {
    this.total = Math.max(1, epochs * stepsPerEpoch);
    if (io.isTTY) this.draw(0, '');
  }

  private elapsed(): number {
    return (performance.now() - this.start) / 1000;
  }

  private eta(): number {
    return this.done === 0 ? NaN : (this.elapsed() / this.done) * (this.total - this.done);
  }

  private draw(epoch: number, extra: string): void {
    const width = 24;
    const filled = Math.round((this.done / this.total) * width);
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    const line = `${this.index} ${this.label.padEnd(12)} [${bar}] epoch ${epoch}/${this.epochs} ${Math.round((100 * this.done) / this.total)
      .toString()
      .padStart(3)}%  ${fmtSeconds(this.elapsed())} ETA ${fmtSeconds(this.eta())}${extra}`;
    this.io.stderr(`\r${line}\x1b[K`);
  }

  /** after every optimisation step */
  step(epoch: number): void {
    this.done++;
    if (!this.io.isTTY) return;
    const now = performance.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.draw(epoch, '');
  }

  /** after every epoch, with the epoch's mean training loss */
  epoch(epoch: number, loss: number): void {
    const extra = `  loss ${loss.toFixed(4)}`;
    if (this.io.isTTY) {
      this.draw(epoch, extra);
    } else {
      this.io.stderr(
        `${this.index} ${this.label.padEnd(12)} epoch ${epoch}/${this.epochs}${extra}  ${fmtSeconds(this.elapsed())}  ETA ${fmtSeconds(this.eta())}\n`,
      );
    }
  }

  /** once, at the end of the run */
  finish(note: string): void {
    if (this.io.isTTY) {
      this.draw(this.epochs, '');
      this.io.stderr(`\r${this.index} ${this.label.padEnd(12)} done in ${fmtSeconds(this.elapsed())}${note}\x1b[K\n`);
    } else {
      this.io.stderr(`${this.index} ${this.label.padEnd(12)} done in ${fmtSeconds(this.elapsed())}${note}\n`);
    }
  }
}
