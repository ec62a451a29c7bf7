import type { Finding, FindingKind, Severity } from '@mtl-fd/diagnose';
import type { ChartEntry, ChartId } from '../types.js';

/** The chart each kind of finding is best seen in, when the finding names none. */
export const FINDING_CHART: Record<FindingKind, ChartId> = {
  dead_task: 'task-ownership',
  starved_task: 'task-ownership',
  gradient_conflict: 'pair-grad-cos-evolution',
  conflict_spike: 'fd-trajectory',
  lagging_task: 'fd-trajectory',
  dominance_disentanglement: 'task-ownership',
  entanglement_collapse: 'fd-trajectory',
  ill_conditioned: 'task-gradients',
  numerical_hazard: 'fd-trajectory',
};

/**
 * Coarser chart names a finding may use (`Finding.chart` in '@mtl-fd/metrics' names chart
 * families: 'pairwise', 'ownership', 'ranking'), each with its charts in order of preference.
 */
export const CHART_FAMILIES: Record<string, readonly ChartId[]> = {
  pairwise: ['pair-grad-cos-evolution', 'pair-grad-cos', 'pair-fd-evolution', 'pair-fd'],
  ownership: ['task-ownership'],
  ranking: ['ranking-similarity'],
};

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

export interface LinkedFinding {
  finding: Finding;
  /** the drawn chart it links to, if any */
  chart?: ChartEntry;
}

/**
 * Orders findings by severity (critical first, input order kept within a severity) and links each
 * to a drawn chart that plots the metric its first evidence names (what triggered it): of the
 * charts it names (a family name such as 'pairwise' picks its kind's default chart when that is in
 * the family, else the family's first drawn chart), its kind's default and the trajectory, the
 * first that plots that metric, else any drawn chart that does, else the first of those candidates
 * drawn (a capture-scan statistic such as `zero_frac` is in no chart).
 */
export function linkFindings(findings: readonly Finding[], charts: readonly ChartEntry[]): LinkedFinding[] {
  const drawn = new Map(charts.filter((c) => c.spec).map((c) => [c.id as string, c]));
  return findings
    .map((finding, i) => ({ finding, i }))
    .sort((a, b) => (SEVERITY_ORDER[a.finding.severity] ?? 3) - (SEVERITY_ORDER[b.finding.severity] ?? 3) || a.i - b.i)
    .map(({ finding }) => {
      const named = finding.chart as string | undefined;
      const kindChart = FINDING_CHART[finding.kind];
      const family = named === undefined ? [] : (CHART_FAMILIES[named] ?? []);
      const candidates = [named, ...(family.includes(kindChart) ? [kindChart] : []), ...family, kindChart, 'fd-trajectory'];
      const cited = finding.evidence[0]?.metric;
      const plots = (id: string | undefined) => id !== undefined && drawn.get(id)?.metrics?.includes(cited ?? '') === true;
      const id =
        candidates.find((c): c is string => typeof c === 'string' && plots(c)) ??
        [...drawn.keys()].find(plots) ??
        candidates.find((c): c is string => typeof c === 'string' && drawn.has(c));
      return { finding, chart: id === undefined ? undefined : drawn.get(id) };
    });
}
