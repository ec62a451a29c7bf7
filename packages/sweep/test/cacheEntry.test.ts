import { describe, expect, it } from 'vitest';
import { DEFAULT_SCORE_OPTIONS, type ScoreOptions, METRICS_VERSION } from '@mtl-fd/metrics';
import { CACHE_FORMAT, cacheKey, checkCacheEntry, entryChecksum, fromCacheEntry, parseCacheEntry, toCacheEntry } from '../src/cacheEntry.js';
import type { CaptureResult } from '../src/captureResult.js';

const file = '/runs/a/captures/step-00000007.safetensors';
const result: CaptureResult = {
  file,
  run: 'a',
  step: 7,
  tasks: ['seg', 'depth'],
  losses: { seg: NaN, depth: -0 },
  rows: [
    { run: 'a', step: 7, metric: 'fd', task: '', task_b: '', value: 0.1 + 0.2 },
    { run: 'a', step: 7, metric: 'grad_cos', task: 'seg', task_b: 'depth', value: -0 },
    { run: 'a', step: 7, metric: 'grad_cond', task: '', task_b: '', value: null },
    { run: 'a', step: 7, metric: 'grad_norm', task: 'seg', task_b: '', value: Number.MIN_VALUE },
  ],
  warnings: [`${file}: task 'seg' has a zero feature gradient`, 'a warning about something else'],
};
const hash = 'ab'.repeat(32);
const opts: ScoreOptions = { ...DEFAULT_SCORE_OPTIONS, granularity: 'channel' };

describe('cache entries', () => {
  it('round-trip exactly through JSON text, -0 and NaN included', () => {
    const text = JSON.stringify(toCacheEntry(result, hash, opts));
    const entry = parseCacheEntry(text, hash, opts);
    expect(entry).toBeDefined();
    const back = fromCacheEntry(entry!, file, 'a');
    expect(back).toEqual(result);
    expect(Object.is(back.rows[1]!.value, -0)).toBe(true);
    expect(Object.is(back.losses.depth, -0)).toBe(true);
  });

  it('put the current file and run back in rows and warnings', () => {
    const entry = parseCacheEntry(JSON.stringify(toCacheEntry(result, hash, opts)), hash, opts)!;
    const elsewhere = fromCacheEntry(entry, '/copy/captures/x.safetensors', 'copy');
    expect(elsewhere.rows.every((r) => r.run === 'copy' && r.step === 7)).toBe(true);
    expect(elsewhere.warnings).toEqual([
      "/copy/captures/x.safetensors: task 'seg' has a zero feature gradient",
      'a warning about something else',
    ]);
  });

  it('are a miss for other bytes, options or versions, and for damaged text', () => {
    const entry = toCacheEntry(result, hash, opts);
    const text = JSON.stringify(entry);
    expect(parseCacheEntry(text, 'cd'.repeat(32), opts)).toBeUndefined();
    expect(parseCacheEntry(text, hash, { ...opts, temperature: 0.5 })).toBeUndefined();
    const resum = (e: object) => JSON.stringify({ ...e, checksum: entryChecksum(e) });
    expect(parseCacheEntry(JSON.stringify({ ...entry, metricsVersion: '0.0.0-old' }), hash, opts)).toBeUndefined();
    expect(parseCacheEntry(JSON.stringify({ ...entry, format: 'other' }), hash, opts)).toBeUndefined();
    for (const bad of ['', 'null', '[]', text.slice(0, -5), JSON.stringify({ ...entry, rows: [['fd', '', '', 'NaNa']] })]) {
      expect(parseCacheEntry(bad, hash, opts)).toBeUndefined();
    }
    expect(parseCacheEntry(resum({ ...entry, step: 1.5 }), hash, opts)).toBeUndefined();
    expect(parseCacheEntry(resum({ ...entry, warnings: [[2, 'x']] }), hash, opts)).toBeUndefined();
    expect(parseCacheEntry(resum({ ...entry, rows: [['fd', '', '', 'NaNa']] }), hash, opts)).toBeUndefined();
    expect(entry.format).toBe(CACHE_FORMAT);
    expect(entry.metricsVersion).toBe(METRICS_VERSION);
  });

  it('are keyed by bytes, options (in any key order) and version', () => {
    const k = cacheKey(hash, opts);
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    const reordered = { weighted: opts.weighted, nonFinite: opts.nonFinite, temperature: opts.temperature, granularity: opts.granularity, saliency: opts.saliency };
    expect(cacheKey(hash, reordered)).toBe(k);
    expect(cacheKey(hash, { ...opts, nonFinite: 'skip' })).not.toBe(k);
    expect(cacheKey(hash, { ...opts, weighted: true })).not.toBe(k);
    expect(cacheKey('cd'.repeat(32), opts)).not.toBe(k);
    expect(cacheKey(hash, opts, '9.9.9')).not.toBe(k);
  });

  it('carry a checksum: an edited entry, or one of other bytes, is a problem, not a hit (forged caches)', () => {
    // Before: an entry edited to fd = 0.999 (fileHash kept) parsed as a good entry.
    const entry = toCacheEntry(result, hash, opts);
    expect(entry.checksum).toBe(entryChecksum(entry));
    expect(checkCacheEntry(JSON.stringify(entry), hash, opts).entry).toEqual(entry);
    const forged = { ...entry, rows: entry.rows.map((r) => (r[0] === 'fd' ? (['fd', '', '', 0.999] as const) : r)) };
    expect(checkCacheEntry(JSON.stringify(forged), hash, opts)).toEqual({ problem: 'cache entry fails its checksum (edited or damaged)' });
    for (const edit of [{ step: 8 }, { metaRun: 'other' }, { tasks: ['seg'] }, { options: { ...opts, temperature: 1 } }, { checksum: undefined }]) {
      expect(checkCacheEntry(JSON.stringify({ ...entry, ...edit }), hash, opts).problem).toMatch(/fails its checksum/);
    }
    // a whole entry of another capture, copied under this capture's key
    expect(checkCacheEntry(JSON.stringify(entry), 'cd'.repeat(32), opts)).toEqual({ problem: `cache entry claims the content of another capture (sha256 ${'ab'.repeat(6)}\u2026)` });
    // entries of the previous format (no checksum) are a plain miss
    expect(checkCacheEntry(JSON.stringify({ ...entry, format: 'mtl-fd/score-cache@1' }), hash, opts)).toEqual({});
  });
});
