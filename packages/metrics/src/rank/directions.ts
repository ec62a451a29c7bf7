import { UserError } from '@mtl-fd/capture';

/** Which way of a value is "better". */
export type Direction = 'higher-better' | 'lower-better';

/**
 * The direction each identifier is hypothesised to predict (docs/metrics.md §7):
 * a hypothesis, not a law, so every output says which direction it used and an
 * option can override it. Identifiers not listed have no declared direction.
 */
export const IDENTIFIER_DIRECTIONS: Readonly<Record<string, Direction>> = {
  fd: 'higher-better',
  fd_mass: 'higher-better',
  fd_task: 'higher-better',
  grad_cos_mean: 'higher-better',
  grad_gms: 'higher-better',
  grad_norm_share: 'higher-better',
  param_cos_mean: 'higher-better',
  param_gms: 'higher-better',
  param_norm_share: 'higher-better',
  grad_conflict_frac: 'lower-better',
  grad_cond: 'lower-better',
  param_conflict_frac: 'lower-better',
  param_cond: 'lower-better',
  loss_ratio: 'lower-better',
  rel_rate: 'lower-better',
};

/** The declared direction of an identifier, or undefined. */
export function declaredDirection(metric: string): Direction | undefined {
  return Object.hasOwn(IDENTIFIER_DIRECTIONS, metric) ? IDENTIFIER_DIRECTIONS[metric] : undefined;
}

const SPELLINGS: Record<string, Direction> = {
  higher: 'higher-better',
  'higher-better': 'higher-better',
  'higher-is-better': 'higher-better',
  lower: 'lower-better',
  'lower-better': 'lower-better',
  'lower-is-better': 'lower-better',
};

/** Reads `higher`, `higher-better` or `higher-is-better` (and the `lower` forms), any case. */
export function parseDirection(text: string): Direction {
  const d = SPELLINGS[text.trim().toLowerCase()];
  if (!d) throw new UserError(`direction must be higher or lower (also higher-is-better, lower-is-better), got ${JSON.stringify(text)}`);
  return d;
}

/** Values turned so that larger = better. */
export function orient(values: readonly number[], direction: Direction): number[] {
  return direction === 'higher-better' ? [...values] : values.map((v) => -v);
}
