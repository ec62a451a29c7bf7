import { it } from 'vitest';
import { writeReport } from '../src/index.js';
import { finding, fixtureRanking, fixtureRows } from '../test/fixtures.js';
it('report', async () => {
  await writeReport('/tmp/plots-scratch/report', { rows: fixtureRows(), options: { saliency: 'grad', granularity: 'element', temperature: 0 }, ranking: fixtureRanking as any, findings: [finding({}), finding({ kind: 'dead_task', severity: 'critical', run: 'equal', tasks: ['normal'], steps: { from: 200, to: 200 }, chart: 'ownership' })] });
  await writeReport('/tmp/plots-scratch/edge-one', { rows: fixtureRows({ runs: [{ name: 'one', steps: [10], skew: 0 }] }) });
  await writeReport('/tmp/plots-scratch/edge-pair', { rows: fixtureRows({ tasks: ['left', 'right'], runs: [{ name: 'r', steps: [0, 10, 20], skew: 0 }] }).map((r) => (r.step === 10 ? { ...r, value: null } : r)) });
  await writeReport('/tmp/plots-scratch/edge-ragged', { rows: fixtureRows({ runs: [{ name: 'long', steps: [0, 100, 200, 300, 400, 500], skew: 0 }, { name: 'short-run-with-a-long-name', steps: [0, 250], skew: 1 }], tasks: ['segmentation', 'depth', 'normal', 'edges', 'keypoints'] }) });
});
