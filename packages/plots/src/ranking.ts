import { UserError } from '@mtl-fd/capture';
import type { RankCell } from '@mtl-fd/metrics';
import type { Ranking, RankingResult } from './types.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStat = (v: unknown): v is number | null => v === null || (typeof v === 'number' && Number.isFinite(v));

/**
 * Checks the JSON printed by `mtl-fd rank --format json`: one ranking object or an array of them
 * (several identifiers). Throws a UserError naming `source` and the first problem.
 */
export function parseRanking(json: unknown, source = 'ranking'): Ranking[] {
  const list = Array.isArray(json) ? json : [json];
  if (list.length === 0) throw new UserError(`${source}: no ranking in the file (an empty array)`);
  return list.map((item, i) => {
    const where = Array.isArray(json) ? `${source}[${i}]` : source;
    if (!isObject(item)) throw new UserError(`${where}: expected an object {identifier, results, ...} from mtl-fd rank --format json`);
    if (typeof item.identifier !== 'string' || item.identifier === '') {
      throw new UserError(`${where}: 'identifier' must be a non-empty string`);
    }
    if (!Array.isArray(item.results)) throw new UserError(`${where}: 'results' must be an array`);
    const results: RankingResult[] = item.results.map((r: unknown, k: number) => {
      const at = `${where}.results[${k}]`;
      if (!isObject(r)) throw new UserError(`${at}: expected an object {perf_metric, tau_b, rho, ...}`);
      if (typeof r.perf_metric !== 'string') throw new UserError(`${at}: 'perf_metric' must be a string`);
      if (!isStat(r.tau_b ?? null) || !isStat(r.rho ?? null)) {
        throw new UserError(`${at}: 'tau_b' and 'rho' must be numbers or null`);
      }
      if (!isStat(r.p_value ?? null)) throw new UserError(`${at}: 'p_value' must be a number or null`);
      return {
        perf_metric: r.perf_metric,
        perf_direction: typeof r.perf_direction === 'string' ? r.perf_direction : '',
        n_runs: typeof r.n_runs === 'number' ? r.n_runs : NaN,
        tau_b: (r.tau_b ?? null) as number | null,
        rho: (r.rho ?? null) as number | null,
        p_value: (r.p_value ?? null) as number | null,
        na_reason: typeof r.na_reason === 'string' ? r.na_reason : null,
      };
    });
    return {
      identifier: item.identifier,
      task: typeof item.task === 'string' ? item.task : null,
      task_b: typeof item.task_b === 'string' && item.task_b !== '' ? item.task_b : null,
      at: item.at,
      direction: typeof item.direction === 'string' ? item.direction : undefined,
      results,
    };
  });
}

/** 'fd_task[seg]' (a pair: 'grad_gms[seg, depth]') style name of a ranking's identifier. */
export function identifierLabel(r: Ranking): string {
  return r.task ? `${r.identifier}[${r.task}${r.task_b ? `, ${r.task_b}` : ''}]` : r.identifier;
}

/**
 * The cells of a Ranking Similarity table (metrics' rankingTable) grouped per
 * identifier row and capture, in the shape the chart draws (and `plot --rank` reads),
 * each result with its p-value and why it is n/a.
 */
export function rankingsFromCells(cells: readonly RankCell[]): Ranking[] {
  const groups = new Map<string, RankCell[]>();
  for (const c of cells) {
    const key = `${c.identifier}\u0000${c.task ?? ''}\u0000${c.task_b ?? ''}\u0000${String(c.at)}`;
    const g = groups.get(key);
    if (g) g.push(c);
    else groups.set(key, [c]);
  }
  return [...groups.values()].map((g) => ({
    identifier: g[0]!.identifier,
    task: g[0]!.task,
    task_b: g[0]!.task_b,
    at: g[0]!.at,
    direction: g[0]!.direction,
    results: g.map((c) => ({
      perf_metric: c.perf_metric,
      perf_direction: c.perf_direction,
      n_runs: c.n_runs,
      tau_b: c.tau_b,
      rho: c.rho,
      p_value: c.p_value,
      na_reason: c.na_reason,
    })),
  }));
}

/** Where the identifier was read, as text: 'mean', 'final', 'step 300'. */
export function atLabel(at: unknown): string {
  if (at === undefined || at === null || at === '') return 'mean';
  if (typeof at === 'number') return `step ${at}`;
  if (typeof at === 'string') return at;
  if (isObject(at) && typeof at.step === 'number') return `step ${at.step}`;
  return JSON.stringify(at);
}
