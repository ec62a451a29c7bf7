import type { CliIO } from './io.js';

export interface Progress {
  /** `done` of `total` finished; `item` names the last one */
  update(done: number, item?: string): void;
  /** ends the display; on a terminal the progress line is cleared */
  finish(): void;
}

export interface ProgressOptions {
  /** no progress at all for this many items or fewer (default 3) */
  quietUpTo?: number;
  /** off a terminal, nothing is printed before this many ms (default 2000) */
  delayMs?: number;
  /** clock, for tests */
  now?: () => number;
}

/**
 * Progress on stderr. On a terminal the line is redrawn in place and cleared at
 * the end, so an error that follows is still the only line left. Elsewhere (logs,
 * pipes) a line is printed at each tenth of the way, and only once the work has
 * taken `delayMs`: quick runs, and errors early in a run, stay one line.
 */
export function createProgress(io: CliIO, command: string, noun: string, total: number, opts: ProgressOptions = {}): Progress {
  const { quietUpTo = 3, delayMs = 2000, now = Date.now } = opts;
  if (total <= quietUpTo) return { update() {}, finish() {} };
  const start = now();
  let lastTenth = 0;
  let drawn = false;
  return {
    update(done, item) {
      const text = `mtl-fd ${command}: ${noun} ${done}/${total}${item ? ` (${item})` : ''}`;
      if (io.isTTY) {
        io.stderr(`\r\x1b[K${text}`);
        drawn = true;
        return;
      }
      const tenth = Math.floor((10 * done) / total);
      if (tenth > lastTenth && now() - start >= delayMs) {
        lastTenth = tenth;
        io.stderr(`${text}\n`);
      }
    },
    finish() {
      if (drawn) io.stderr('\r\x1b[K');
      drawn = false;
    },
  };
}
