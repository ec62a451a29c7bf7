import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/report/summary.js';
import { fixtureRows } from '../fixtures.js';

describe('summarize', () => {
  it('keeps each run\u2019s last-capture value per metric, task and pair, in the spec\u2019s metric order', () => {
    const rows = fixtureRows({
      runs: [
        { name: 'long', steps: [0, 100, 200], skew: 0 },
        { name: 'short', steps: [0, 50], skew: 1 },
      ],
    });
    const s = summarize(rows);
    expect(s.runs).toEqual(['long', 'short']);
    expect(s.lastStep).toEqual([200, 50]);
    expect(s.lines.slice(0, 4).map((l) => l.metric)).toEqual(['fd', 'fd_mass', 'dead_units', 'units']);
    const fd = s.lines.find((l) => l.metric === 'fd')!;
    const last = (run: string, step: number) => rows.find((r) => r.run === run && r.step === step && r.metric === 'fd')!.value;
    expect(fd.values).toEqual([
      { step: 200, value: last('long', 200) },
      { step: 50, value: last('short', 50) },
    ]);
    expect(s.lines.filter((l) => l.metric === 'fd_pair').map((l) => [l.task, l.task_b])).toEqual([
      ['seg', 'depth'],
      ['seg', 'normal'],
      ['depth', 'normal'],
    ]);
    // dwa starts at the third capture: the short run has none
    expect(s.lines.find((l) => l.metric === 'dwa')!.values[1]).toBeUndefined();
  });

  it('keeps a metric whose last row is null, and unknown metrics after the known ones', () => {
    const s = summarize([
      { run: 'r', step: 2, metric: 'zz_custom', task: '', task_b: '', value: 3 },
      { run: 'r', step: 1, metric: 'fd', task: '', task_b: '', value: 0.5 },
      { run: 'r', step: 2, metric: 'fd', task: '', task_b: '', value: Number.NaN },
    ]);
    expect(s.lines.map((l) => l.metric)).toEqual(['fd', 'zz_custom']);
    expect(s.lines[0]!.values[0]).toEqual({ step: 2, value: null });
  });
});
