import { describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mergeShards } from '../../src/shard/mergeShards.js';
import { scoreShard } from '../../src/shard/scoreShard.js';
import { shardTablePath } from '../../src/shard/shardPaths.js';
import { writeShard } from '../../src/shard/writeShard.js';
import { scoreSweep } from '../../src/scoreSweep.js';
import { useTempDirs, writeRun } from '../sweepFixture.js';

const tempDir = useTempDirs();

async function sweep(): Promise<string> {
  const root = await tempDir();
  await writeRun(root, 'mgda', [0, 10, 20, 30, 40]);
  await writeRun(root, 'pcgrad', [0, 5, 10, 15]);
  await writeRun(root, 'uw', [100, 200, 300]);
  return join(root);
}

/** Scores and writes shard `index` of `count` (JSON tables) under `out`; returns its table path. */
async function shard(root: string, out: string, index: number, count: number, options = {}): Promise<{ table: string; scored: boolean }> {
  const spec = { index, count };
  const table = await shardTablePath(out, spec, 'json');
  const s = await scoreShard([root], spec, table, 'json', options, { workers: 0, cache: false });
  if (s.result) {
    await writeShard(table, [{ path: table, data: JSON.stringify(s.result.rows) }], s.plan, s.result.captures, s.options, 'json');
  }
  return { table, scored: s.result !== undefined };
}

describe('mergeShards', () => {
  it('gives the rows of one unsharded score, run-level identifiers included, for 1, 3 and 5 shards', async () => {
    const root = await sweep();
    const whole = await scoreSweep([root], {}, { workers: 0, cache: false });
    expect(whole.rows.some((r) => r.metric === 'dwa')).toBe(true);
    for (const n of [1, 3, 5]) {
      const out = join(await tempDir(), 'shards');
      for (let i = 1; i <= n; i++) await shard(root, out, i, n);
      const merged = await mergeShards([out]);
      expect(merged.rows).toEqual(whole.rows);
      expect(merged.options).toEqual(whole.options);
      expect(merged.shards).toBe(n);
    }
  });

  it('a shard whose marker says it finished with the same inputs is not scored again', async () => {
    const root = await sweep();
    const out = join(await tempDir(), 'shards');
    expect((await shard(root, out, 1, 2)).scored).toBe(true);
    expect((await shard(root, out, 1, 2)).scored).toBe(false);
    // other options: scored again
    expect((await shard(root, out, 1, 2, { granularity: 'channel' })).scored).toBe(true);
    // a capture joins the sweep: the capture list changed, scored again
    await writeRun(root, 'zz-new', [0]);
    expect((await shard(root, out, 1, 2, { granularity: 'channel' })).scored).toBe(true);
  });

  it('names missing and duplicate shards, mixed options and a tampered carry file', async () => {
    const root = await sweep();
    const out = join(await tempDir(), 'shards');
    const t1 = (await shard(root, out, 1, 3)).table;
    const t3 = (await shard(root, out, 3, 3)).table;
    await expect(mergeShards([out])).rejects.toThrow('missing shard(s) 2/3 (have 1, 3 of 3)');
    await expect(mergeShards([t1, t3, t1])).rejects.toThrow(`shard 1/3 given twice: ${t1} and ${t1}`);
    await expect(mergeShards([join(out, 'shard-2-of-3.json')])).rejects.toThrow(/no such file/);
    // a table without its marker: a shard killed before it finished
    await writeFile(join(out, 'shard-2-of-3.json'), '[]');
    await expect(mergeShards([t1, join(out, 'shard-2-of-3.json'), t3])).rejects.toThrow(/shard-2-of-3.json: has no completion marker .*did not finish/);

    const other = join(await tempDir(), 'other');
    const t2 = (await shard(root, other, 2, 3, { saliency: 'grad_x_act' })).table;
    await expect(mergeShards([t1, t2, t3])).rejects.toThrow(/mixed score options: .*saliency=grad_x_act.*saliency=grad /);

    const t2ok = (await shard(root, out, 2, 3)).table;
    const carry = `${t2ok}.captures.jsonl`;
    await writeFile(carry, (await readFile(carry, 'utf8')).replace('"step":', '"step": '));
    await expect(mergeShards([out])).rejects.toThrow(`${carry}: does not match its completion marker; re-run shard 2/3`);
  });

  it('shards of different sweeps or counts do not merge', async () => {
    const root = await sweep();
    const out = join(await tempDir(), 'shards');
    const a = (await shard(root, out, 1, 2)).table;
    const b = (await shard(root, out, 2, 3)).table;
    await expect(mergeShards([a, b])).rejects.toThrow(/is shard 2\/3, but .* is one of 2 shards/);
    await writeRun(root, 'zz-new', [0]);
    const c = (await shard(root, join(await tempDir(), 'x'), 2, 2)).table;
    await expect(mergeShards([a, c])).rejects.toThrow(/comes from another sweep/);
  });
});
