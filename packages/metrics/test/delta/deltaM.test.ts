import { describe, expect, it } from 'vitest';
import { deltaM } from '../../src/delta/deltaM.js';
import '../../../../test/support/tolerance.js';

describe('Delta m (docs/metrics.md §8)', () => {
  it('signs each delta by direction and names both aggregates', () => {
    const r = deltaM([
      { task: 'seg', metric: 'miou', value: 0.44, baseline: 0.4, direction: 'higher-better' },
      { task: 'seg', metric: 'pix_acc', value: 0.7, baseline: 0.7, direction: 'higher-better' },
      { task: 'depth', metric: 'abs_err', value: 0.6, baseline: 0.5, direction: 'lower-better' },
    ]);
    expect(r.deltas.map((d) => d.delta)).toBeRelClose([0.1, 0, -0.2], 1e-12);
    // maninis: mean over tasks of per-task means: (0.05 + -0.2) / 2 * 100
    expect(r.maninis).toBeRelClose(-7.5, 1e-12);
    // navon: minus the mean over all metrics, x100
    expect(r.navon).toBeRelClose((-100 * (0.1 + 0 - 0.2)) / 3, 1e-12);
  });

  it('is NaN against a zero baseline', () => {
    const r = deltaM([{ task: 'a', metric: 'm', value: 1, baseline: 0, direction: 'higher-better' }]);
    expect(r.deltas[0]!.delta).toBeNaN();
    expect(r.maninis).toBeNaN();
  });
});
