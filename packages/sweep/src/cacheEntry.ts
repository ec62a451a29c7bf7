import { createHash } from 'node:crypto';
import type { ScoreOptions, TidyRow } from '@mtl-fd/metrics';
import type { CaptureResult } from './captureResult.js';
import { METRICS_VERSION } from '@mtl-fd/metrics';

/** The format tag of a cache entry file (@2: entries carry a checksum). */
export const CACHE_FORMAT = 'mtl-fd/score-cache@2';

/**
 * A capture's scores as the cache keeps them: free of the file's path (the same bytes
 * elsewhere hit the same entry; `run` and the warnings' file are put back on reading)
 * and exact (NaN, infinities and -0 survive, which plain JSON numbers would not).
 */
export interface CacheEntry {
  format: typeof CACHE_FORMAT;
  metricsVersion: string;
  fileHash: string;
  options: ScoreOptions;
  step: number;
  metaRun?: string;
  tasks: string[];
  losses: [string, Num][];
  /** [metric, task, task_b, value] */
  rows: [string, string, string, Num | null][];
  /** [1, text] for `${file}: text`, [0, text] for a warning that does not start with the file */
  warnings: [0 | 1, string][];
  /** sha256 over every other field (entryChecksum): an edited or damaged entry fails it */
  checksum: string;
}

/**
 * What reading an entry gave: the entry; or nothing (a miss: no entry, another format,
 * version or options, unreadable text); or a `problem` (an entry of this format that
 * fails its checksum or claims other bytes than the capture's), which the sweep reports.
 */
export type CacheRead = { entry: CacheEntry; problem?: undefined } | { entry?: undefined; problem?: string };

/** A number as JSON can hold it exactly. */
type Num = number | 'NaN' | 'Infinity' | '-Infinity' | '-0';

function encodeNum(v: number): Num {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (Object.is(v, -0)) return '-0';
  return v;
}

function decodeNum(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  switch (v) {
    case 'NaN':
      return NaN;
    case 'Infinity':
      return Infinity;
    case '-Infinity':
      return -Infinity;
    case '-0':
      return -0;
    default:
      return undefined;
  }
}

/** Options in a fixed key order, so equal options give equal text. */
function canonicalOptions(options: ScoreOptions): [string, unknown][] {
  return Object.keys(options)
    .sort()
    .map((k) => [k, (options as unknown as Record<string, unknown>)[k]]);
}

/** The cache key: sha256 over the entry format, the metrics version, the file's sha256 and the options. */
export function cacheKey(fileHash: string, options: ScoreOptions, metricsVersion = METRICS_VERSION): string {
  const text = JSON.stringify([CACHE_FORMAT, metricsVersion, fileHash, canonicalOptions(options)]);
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The checksum of an entry: sha256 over its fields in a fixed order (the capture hash it
 * claims and the options included), so an entry edited by hand, or half-written by
 * another tool, is caught. It binds the rows to the capture's content; it is not a
 * signature (whoever knows this format can recompute it: `--no-cache` trusts nothing).
 */
export function entryChecksum(e: Partial<Record<keyof CacheEntry, unknown>>): string {
  const options = typeof e.options === 'object' && e.options !== null ? canonicalOptions(e.options as ScoreOptions) : e.options;
  const text = JSON.stringify([e.format, e.metricsVersion, e.fileHash, options, e.step, e.metaRun ?? null, e.tasks, e.losses, e.rows, e.warnings]);
  return createHash('sha256').update(text).digest('hex');
}

export function toCacheEntry(r: CaptureResult, fileHash: string, options: ScoreOptions): CacheEntry {
  const prefix = `${r.file}: `;
  const entry: Omit<CacheEntry, 'checksum'> & { checksum?: string } = {
    format: CACHE_FORMAT,
    metricsVersion: METRICS_VERSION,
    fileHash,
    options,
    step: r.step,
    tasks: r.tasks,
    losses: Object.entries(r.losses).map(([t, v]) => [t, encodeNum(v)]),
    rows: r.rows.map((row) => [row.metric, row.task, row.task_b, row.value === null ? null : encodeNum(row.value)]),
    warnings: r.warnings.map((w) => (w.startsWith(prefix) ? [1, w.slice(prefix.length)] : [0, w])),
  };
  if (r.metaRun !== undefined) entry.metaRun = r.metaRun;
  entry.checksum = entryChecksum(entry);
  return entry as CacheEntry;
}

const isString = (v: unknown): v is string => typeof v === 'string';

/**
 * Parses a cache entry written for `fileHash` and `options`; undefined for anything
 * else (checkCacheEntry without the reason).
 */
export function parseCacheEntry(text: string, fileHash: string, options: ScoreOptions): CacheEntry | undefined {
  return checkCacheEntry(text, fileHash, options).entry;
}

/**
 * Reads a cache entry found for a capture whose bytes hash to `fileHash`, scored with
 * `options`. Another format, version or options, or text that is not JSON, is a plain
 * miss. An entry of this format and version whose checksum fails (edited or damaged),
 * or that claims to be of other bytes than the capture's (copied under another key), is
 * a problem: never used, and said.
 */
export function checkCacheEntry(text: string, fileHash: string, options: ScoreOptions): CacheRead {
  let e: Partial<CacheEntry>;
  try {
    e = JSON.parse(text) as Partial<CacheEntry>;
  } catch {
    return {};
  }
  if (typeof e !== 'object' || e === null) return {};
  if (e.format !== CACHE_FORMAT || e.metricsVersion !== METRICS_VERSION) return {};
  if (e.checksum !== entryChecksum(e)) return { problem: 'cache entry fails its checksum (edited or damaged)' };
  if (e.fileHash !== fileHash) {
    return { problem: `cache entry claims the content of another capture (sha256 ${String(e.fileHash).slice(0, 12)}\u2026)` };
  }
  if (JSON.stringify(canonicalOptions((e.options ?? {}) as ScoreOptions)) !== JSON.stringify(canonicalOptions(options))) return {};
  if (!Number.isSafeInteger(e.step) || (e.metaRun !== undefined && !isString(e.metaRun))) return {};
  if (!Array.isArray(e.tasks) || !e.tasks.every(isString)) return {};
  if (!Array.isArray(e.losses) || !e.losses.every((l) => Array.isArray(l) && l.length === 2 && isString(l[0]) && decodeNum(l[1]) !== undefined)) return {};
  const rowOk = (r: unknown) =>
    Array.isArray(r) && r.length === 4 && isString(r[0]) && isString(r[1]) && isString(r[2]) && (r[3] === null || decodeNum(r[3]) !== undefined);
  if (!Array.isArray(e.rows) || !e.rows.every(rowOk)) return {};
  const warnOk = (w: unknown) => Array.isArray(w) && w.length === 2 && (w[0] === 0 || w[0] === 1) && isString(w[1]);
  if (!Array.isArray(e.warnings) || !e.warnings.every(warnOk)) return {};
  return { entry: e as CacheEntry };
}

/** The capture's result from its cache entry, for the file at `file` whose run is `run`. */
export function fromCacheEntry(e: CacheEntry, file: string, run: string): CaptureResult {
  const rows: TidyRow[] = e.rows.map(([metric, task, task_b, v]) => ({
    run,
    step: e.step,
    metric,
    task,
    task_b,
    value: v === null ? null : (decodeNum(v) as number),
  }));
  const result: CaptureResult = {
    file,
    run,
    step: e.step,
    tasks: [...e.tasks],
    losses: Object.fromEntries(e.losses.map(([t, v]) => [t, decodeNum(v) as number])),
    rows,
    warnings: e.warnings.map(([ofFile, text]) => (ofFile ? `${file}: ${text}` : text)),
  };
  if (e.metaRun !== undefined) result.metaRun = e.metaRun;
  return result;
}
