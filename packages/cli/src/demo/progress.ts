import type { CliIO } from '../io.js';

function fmtSeconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '--';
  if (s < 60) return `${s.toFixed(0)}s`;
  return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}

/** What a training run reports as it goes. */
export interface ProgressSink {
  /** after every optimisation step */
  step(epoch: number): void;
  /** after every epoch, with the epoch's mean training loss */
  epoch(epoch: number, loss: number): void;
}

/**
 * Progress bars of the runs in flight, on stderr (the multi-run board of the demo;
 * single counters of the other commands are cli/src/progress.ts). On a terminal the bars of all
 * running runs are redrawn in place (at most ~10 times a second) below the lines
 * already printed; otherwise each bar prints one plain line per epoch and one when
 * its run is done.
 */
export class ProgressBoard {
  private readonly bars: RunProgress[] = [];
  private drawn = 0;
  private lastDraw = 0;

  constructor(private readonly io: CliIO) {}

  /** a bar for one run; `index` is shown as its position, e.g. `[3/8]` */
  bar(label: string, index: string, epochs: number, stepsPerEpoch: number): RunProgress {
    const bar = new RunProgress(this, label, index, epochs, stepsPerEpoch);
    this.bars.push(bar);
    this.redraw(true);
    return bar;
  }

  get tty(): boolean {
    return this.io.isTTY;
  }

  /** redraws the live bars (TTY only); throttled unless forced */
  redraw(force = false): void {
    if (!this.io.isTTY) return;
    const now = performance.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.draw();
  }

  /** prints a permanent line (above the live bars on a TTY) */
  print(line: string): void {
    if (this.io.isTTY) this.draw(line);
    else this.io.stderr(`${line}\n`);
  }

  /** removes a finished bar and prints its final line */
  finish(bar: RunProgress, line: string): void {
    const i = this.bars.indexOf(bar);
    if (i >= 0) this.bars.splice(i, 1);
    if (this.io.isTTY) this.draw(line);
    else this.io.stderr(`${line}\n`);
  }

  /**
   * Moves up over the block drawn last, writes `line` (when given) as a permanent
   * line, redraws the live bars, and clears the rows a shorter block leaves behind.
   */
  private draw(line?: string): void {
    let s = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    if (line !== undefined) s += `\r${line}\x1b[K\n`;
    for (const b of this.bars) s += `\r${b.line()}\x1b[K\n`;
    const left = this.drawn - (line === undefined ? 0 : 1) - this.bars.length;
    for (let k = 0; k < left; k++) s += '\x1b[K\n';
    if (left > 0) s += `\x1b[${left}A`;
    this.io.stderr(s);
    this.drawn = this.bars.length;
  }
}

/** The progress of one run: epochs, steps, elapsed time and ETA. */
export class RunProgress implements ProgressSink {
  private readonly start = performance.now();
  private done = 0;
  private currentEpoch = 0;
  private lastLoss = NaN;
  private readonly total: number;

  constructor(
    private readonly board: ProgressBoard,
    private readonly label: string,
    private readonly index: string,
    private readonly epochs: number,
    stepsPerEpoch: number,
  ) {
    this.total = Math.max(1, epochs * stepsPerEpoch);
  }

  private elapsed(): number {
    return (performance.now() - this.start) / 1000;
  }

  private eta(): number {
    return this.done === 0 ? NaN : (this.elapsed() / this.done) * (this.total - this.done);
  }

  /** the bar as drawn on a terminal */
  line(): string {
    const width = 24;
    const filled = Math.min(width, Math.round((this.done / this.total) * width));
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    const pct = Math.round((100 * this.done) / this.total);
    const loss = Number.isFinite(this.lastLoss) ? `  loss ${this.lastLoss.toFixed(4)}` : '';
    return `${this.index} ${this.label.padEnd(12)} [${bar}] ${String(pct).padStart(3)}%  epoch ${this.currentEpoch}/${this.epochs}  ${fmtSeconds(this.elapsed())}  ETA ${fmtSeconds(this.eta())}${loss}`;
  }

  step(epoch: number): void {
    this.done++;
    this.currentEpoch = epoch;
    this.board.redraw();
  }

  epoch(epoch: number, loss: number): void {
    this.currentEpoch = epoch;
    this.lastLoss = loss;
    if (this.board.tty) this.board.redraw(true);
    else this.board.print(`${this.index} ${this.label.padEnd(12)} epoch ${epoch}/${this.epochs}  loss ${loss.toFixed(4)}  ${fmtSeconds(this.elapsed())}  ETA ${fmtSeconds(this.eta())}`);
  }

  /** once, at the end of the run */
  finish(note: string): void {
    this.board.finish(this, `${this.index} ${this.label.padEnd(12)} done in ${fmtSeconds(this.elapsed())}${note}`);
  }
}
