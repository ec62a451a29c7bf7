import { UserError } from '@mtl-fd/capture';
import { describe, expect, it } from 'vitest';
import { atLabel, identifierLabel, parseRanking } from '../src/ranking.js';
import { fixtureRanking } from './fixtures.js';

describe('parseRanking', () => {
  it('accepts one object or an array of them', () => {
    expect(parseRanking(fixtureRanking)).toHaveLength(3);
    const [one] = parseRanking(fixtureRanking[1]);
    expect(one).toMatchObject({ identifier: 'grad_conflict_frac', at: 'final', direction: 'lower_better' });
    expect(one!.results[1]).toEqual({ perf_metric: 'seg_miou', perf_direction: 'higher_better', n_runs: 5, tau_b: 1, rho: 1, p_value: null, na_reason: null });
  });

  it('names the file and the first problem', () => {
    const bad: [unknown, RegExp][] = [
      [[], /no ranking/],
      [42, /expected an object/],
      [{ results: [] }, /'identifier'/],
      [{ identifier: 'fd' }, /'results' must be an array/],
      [[fixtureRanking[0], { identifier: 'fd', results: [{ perf_metric: 'acc', tau_b: 'high', rho: 0 }] }], /rank\.json\[1\]\.results\[0\]: 'tau_b' and 'rho'/],
      [{ identifier: 'fd', results: [{ tau_b: 0, rho: 0 }] }, /'perf_metric'/],
    ];
    for (const [json, message] of bad) {
      expect(() => parseRanking(json, 'rank.json')).toThrow(UserError);
      expect(() => parseRanking(json, 'rank.json')).toThrow(message);
    }
  });

  it('labels identifiers and where they were read', () => {
    expect(identifierLabel({ identifier: 'fd_task', task: 'seg', results: [] })).toBe('fd_task[seg]');
    expect(identifierLabel({ identifier: 'fd', task: '', results: [] })).toBe('fd');
    expect(identifierLabel({ identifier: 'grad_gms', task: 'seg', task_b: 'depth', results: [] })).toBe('grad_gms[seg, depth]');
    expect(atLabel(undefined)).toBe('mean');
    expect(atLabel('final')).toBe('final');
    expect(atLabel(300)).toBe('step 300');
    expect(atLabel({ step: 120 })).toBe('step 120');
  });
});
