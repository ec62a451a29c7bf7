import type { Command } from '../command.js';

/**
 * One row of the command table: what the global --help shows, and how to load the
 * command's code. A command's module (and what it imports: tfjs, vega, the demo) is
 * imported only when that command runs or shows its own help, so `--version` and
 * `--help` start about as fast as Node itself.
 */
export interface CommandEntry {
  name: string;
  /** one line for the global --help */
  summary: string;
  load(): Promise<Command>;
}

/** A row of the table; `load` imports the command's module only when called. */
const entry = (name: string, summary: string, load: () => Promise<Command>): CommandEntry => ({ name, summary, load });

export const commands: readonly CommandEntry[] = [
  entry('score', 'score captures or run directories: FD, gradient and loss identifiers as a tidy table', async () => (await import('./score.js')).scoreCommand),
  entry('merge', 'merge the shard outputs of a sharded score into one table', async () => (await import('./merge.js')).mergeCommand),
  entry(
    'rank',
    'Ranking Similarity table: Kendall tau-b, Spearman rho and chance p-values of identifiers against test results over runs',
    async () => (await import('./rank.js')).rankCommand,
  ),
  entry('plot', "chart runs' metrics (FD trajectory, pairwise, ownership, ranking) into an HTML report", async () => (await import('./plot.js')).plotCommand),
  entry(
    'diagnose',
    "turn runs' metrics into findings (dead tasks, conflict, dominance...); exit 1 warnings, 3 critical",
    async () => (await import('./diagnose.js')).diagnoseCommand,
  ),
  entry(
    'tensorboard',
    "write runs' metrics and findings as TensorBoard event files (appending only new steps)",
    async () => (await import('./tensorboard.js')).tensorboardCommand,
  ),
  entry('watch', 'follow run directories while they train: score new captures, keep tables, report and event files current', async () => (await import('./watch.js')).watchCommand),
  entry('demo', 'run a small multi-task experiment on real MultiMNIST data, end to end, with a report', async () => (await import('./demo.js')).demoCommand),
  entry('clean', 'remove partial files of interrupted writes, stale cache entries and stale locks', async () => (await import('./clean.js')).cleanCommand),
];
