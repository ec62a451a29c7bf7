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
