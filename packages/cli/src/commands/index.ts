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

export const commands: readonly CommandEntry[] = [
  {
    name: 'score',
    summary: 'score captures or run directories: FD, gradient and loss identifiers as a tidy table',
    load: async () => (await import('./score.js')).scoreCommand,
  },
  {
    name: 'merge',
    summary: 'merge the shard outputs of a sharded score into one table',
    load: async () => (await import('./merge.js')).mergeCommand,
  },
  {
    name: 'rank',
    summary: 'Ranking Similarity table: Kendall tau-b, Spearman rho and chance p-values of identifiers against test results over runs',
    load: async () => (await import('./rank.js')).rankCommand,
  },
  {
    name: 'plot',
    summary: "chart runs' metrics (FD trajectory, pairwise, ownership, ranking) into an HTML report",
    load: async () => (await import('./plot.js')).plotCommand,
  },
  {
    name: 'diagnose',
    summary: "turn runs' metrics into findings (dead tasks, conflict, dominance...); exit 1 warnings, 3 critical",
    load: async () => (await import('./diagnose.js')).diagnoseCommand,
  },
  {
    name: 'demo',
    summary: 'run a small multi-task experiment on real MultiMNIST data, end to end, with a report',
    load: async () => (await import('./demo.js')).demoCommand,
  },
  {
    name: 'clean',
    summary: 'remove partial files of interrupted writes, stale cache entries and stale locks',
    load: async () => (await import('./clean.js')).cleanCommand,
  },
];
