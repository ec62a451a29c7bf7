import type { Finding } from '@mtl-fd/diagnose';
import { describe, expect, it } from 'vitest';
import { buildCharts } from '../../src/charts/index.js';
import { linkFindings } from '../../src/report/findings.js';
import { finding, fixtureRows } from '../fixtures.js';


describe('linkFindings', () => {
  const charts = buildCharts(fixtureRows());

  it('puts critical findings first, keeping the input order within a severity', () => {
    const linked = linkFindings(
      [finding({ message: 'info', severity: 'info' }), finding({ message: 'w1' }), finding({ message: 'c', severity: 'critical' }), finding({ message: 'w2' })],
      charts,
    );
    expect(linked.map((l) => l.finding.message)).toEqual(['c', 'w1', 'w2', 'info']);
  });

  it('links the chart a finding names, else its kind\u2019s chart, else the trajectory', () => {
    const id = (f: Finding, c = charts) => linkFindings([f], c)[0]!.chart?.id;
    expect(id(finding({ chart: 'pair-grad-cos' as never }))).toBe('pair-grad-cos');
    // family names of '@mtl-fd/metrics' findings
    expect(id(finding({ chart: 'pairwise' }))).toBe('pair-grad-cos-evolution');
    expect(id(finding({ kind: 'entanglement_collapse', chart: 'pairwise' }))).toBe('pair-grad-cos-evolution');
    expect(id(finding({ kind: 'dead_task', chart: 'ownership' }))).toBe('task-ownership');
    const noCos = buildCharts(fixtureRows().filter((r) => r.metric !== 'grad_cos'));
    expect(id(finding({ chart: 'pairwise' }), noCos)).toBe('pair-fd-evolution');
    expect(id(finding({}))).toBe('pair-grad-cos-evolution');
    expect(id(finding({ kind: 'starved_task' }))).toBe('task-ownership');
    expect(id(finding({ kind: 'lagging_task', chart: 'no-such-chart' as never }))).toBe('fd-trajectory');
    // the ranking chart is not drawn without a ranking: fall back
    expect(id(finding({ kind: 'dead_task', chart: 'ranking' }))).toBe('task-ownership');
    const onlyLoss = buildCharts(fixtureRows().filter((r) => r.metric === 'loss'));
    expect(id(finding({}), onlyLoss)).toBeUndefined();
  });
});

describe('every finding links to a chart that plots the metric its evidence names', () => {
  const charts = buildCharts(fixtureRows());
  // the metric each detector cites first (what triggered it), at feature and parameter level
  const cited: [Finding['kind'], string, string?, string?][] = [
    ['dead_task', 'grad_norm', 'normal'],
    ['dead_task', 'grad_norm_share', 'normal'],
    ['dead_task', 'param_norm', 'normal'],
    ['dead_task', 'loss', 'normal'],
    ['starved_task', 'grad_norm_share', 'normal'],
    ['starved_task', 'param_norm_share', 'normal'],
    ['gradient_conflict', 'grad_cos', 'seg', 'depth'],
    ['gradient_conflict', 'param_cos', 'seg', 'depth'],
    ['conflict_spike', 'grad_conflict_frac'],
    ['conflict_spike', 'param_conflict_frac'],
    ['lagging_task', 'rel_rate', 'seg'],
    ['dominance_disentanglement', 'fd'],
    ['entanglement_collapse', 'fd'],
    ['ill_conditioned', 'grad_cond'],
    ['ill_conditioned', 'param_cond'],
  ];
  it.each(cited)('%s citing %s', (kind, metric, task, task_b) => {
    const f = finding({ kind, evidence: [{ metric, ...(task ? { task } : {}), ...(task_b ? { task_b } : {}), step: 200, value: 0.5 }] });
    const chart = linkFindings([f], charts)[0]!.chart!;
    expect(chart.metrics).toContain(metric);
    expect((chart.spec as { usermeta?: { metrics?: string[] } }).usermeta?.metrics).toContain(metric);
    // and the spec really draws it: the metric is in its data or its filters
    expect(JSON.stringify(chart.spec)).toContain(`"${metric}"`);
  });

  it('keeps the chart a finding names when that chart plots the cited metric', () => {
    const f = finding({ kind: 'gradient_conflict', chart: 'pairwise', evidence: [{ metric: 'param_cos', task: 'seg', task_b: 'depth', step: 200, value: -0.4 }] });
    expect(linkFindings([f], charts)[0]!.chart!.id).toBe('pair-param-cos-evolution');
  });
});
