import type { TidyRow } from '@mtl-fd/metrics';

/** A value as the table holds it: undefined when there is no row, null when the row's value is null. */
export type Cell = number | null | undefined;

const key = (metric: string, task: string, taskB: string): string => `${metric}\u0000${task}\u0000${taskB}`;

/**
 * The tidy rows of one run, indexed for the detectors: captures in step order, the
 * run's tasks, and each (metric, task, task_b) series as a step -> value map. Pair
 * metrics are looked up in either task order.
 */
export class RunSeries {
  readonly run: string;
  /** every capture step of the run, ascending */
  readonly steps: number[];
  /** tasks in the captures' task order as the pair rows show it, else by name */
  readonly tasks: string[];
  private readonly series = new Map<string, Map<number, number | null>>();
  private readonly metrics = new Set<string>();

  constructor(run: string, rows: readonly TidyRow[]) {
    this.run = run;
    const steps = new Set<number>();
    const tasks = new Set<string>();
    /** for each task, the tasks some pair row puts before it */
    const before = new Map<string, Set<string>>();
    for (const row of rows) {
      if (row.run !== run) continue;
      steps.add(row.step);
      if (row.task !== '') tasks.add(row.task);
      if (row.task_b !== '') {
        tasks.add(row.task_b);
        let b = before.get(row.task_b);
        if (!b) before.set(row.task_b, (b = new Set()));
        b.add(row.task);
      }
      this.metrics.add(row.metric);
      const k = key(row.metric, row.task, row.task_b);
      let s = this.series.get(k);
      if (!s) this.series.set(k, (s = new Map()));
      const v = row.value;
      s.set(row.step, typeof v === 'number' && Number.isFinite(v) ? v : null);
    }
    this.steps = [...steps].sort((a, b) => a - b);
    // Pair rows list a before b in the capture's task order (docs/metrics.md §10), so
    // the number of tasks put before a task is its position; ties (no pair rows) go by
    // name. The order never depends on the order of the rows.
    const rank = (t: string): number => before.get(t)?.size ?? 0;
    this.tasks = [...tasks].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Splits a table into one RunSeries per run, runs in order of first appearance. */
  static byRun(rows: readonly TidyRow[]): RunSeries[] {
    const groups = new Map<string, TidyRow[]>();
    for (const row of rows) {
      let g = groups.get(row.run);
      if (!g) groups.set(row.run, (g = []));
      g.push(row);
    }
    return [...groups].map(([run, g]) => new RunSeries(run, g));
  }

  has(metric: string): boolean {
    return this.metrics.has(metric);
  }

  private find(metric: string, task: string, taskB: string): Map<number, number | null> | undefined {
    return this.series.get(key(metric, task, taskB)) ?? (taskB !== '' ? this.series.get(key(metric, taskB, task)) : undefined);
  }

  /** The value of a metric at a step (see Cell). */
  value(metric: string, step: number, task = '', taskB = ''): Cell {
    return this.find(metric, task, taskB)?.get(step);
  }

  /** The numeric value, or undefined for a missing or null cell. */
  number(metric: string, step: number, task = '', taskB = ''): number | undefined {
    const v = this.value(metric, step, task, taskB);
    return typeof v === 'number' ? v : undefined;
  }

  /** Steps (ascending) at which the series has a row, null or not. */
  stepsOf(metric: string, task = '', taskB = ''): number[] {
    const s = this.find(metric, task, taskB);
    return s ? this.steps.filter((step) => s.has(step)) : [];
  }

  /** Task pairs that have rows of a pair metric, in task order, each as its rows name it. */
  pairs(metric: string): [string, string][] {
    const out: [string, string][] = [];
    for (let i = 0; i < this.tasks.length; i++) {
      for (let j = i + 1; j < this.tasks.length; j++) {
        const a = this.tasks[i]!;
        const b = this.tasks[j]!;
        if (this.series.has(key(metric, a, b))) out.push([a, b]);
        else if (this.series.has(key(metric, b, a))) out.push([b, a]);
      }
    }
    return out;
  }
}
