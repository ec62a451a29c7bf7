import { UserError } from '@mtl-fd/capture';
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
      return {
        perf_metric: r.perf_metric,
        perf_direction: typeof r.perf_direction === 'string' ? r.perf_direction : '',
        n_runs: typeof r.n_runs === 'number' ? r.n_runs : NaN,
        tau_b: (r.tau_b ?? null) as number | null,
        rho: (r.rho ?? null) as number | null,
      };
    });
    return {
      identifier: item.identifier,
      task: typeof item.task === 'string' ? item.task : null,
      at: item.at,
      direction: typeof item.direction === 'string' ? item.direction : undefined,
      results,
    };
  });
}

/** 'fd_task[seg]' style name of a ranking's identifier. */
export function identifierLabel(r: Ranking): string {
  return r.task ? `${r.identifier}[${r.task}]` : r.identifier;
}

/** Where the identifier was read, as text: 'mean', 'final', 'step 300'. */
export function atLabel(at: unknown): string {
  if (at === undefined || at === null || at === '') return 'mean';
  if (typeof at === 'number') return `step ${at}`;
  if (typeof at === 'string') return at;
  if (isObject(at) && typeof at.step === 'number') return `step ${at.step}`;
  return JSON.stringify(at);
}
