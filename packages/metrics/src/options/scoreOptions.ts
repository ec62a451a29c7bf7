import { UserError } from '@mtl-fd/capture';

export type Saliency = 'grad' | 'grad_x_act';
export type Granularity = 'element' | 'channel' | 'spatial';
/** What to do with NaN/Inf in features or gradients: fail naming file and tensor, or skip those units and count them. */
export type NonFinitePolicy = 'error' | 'skip';

export interface ScoreOptions {
  saliency: Saliency;
  granularity: Granularity;
  /** tau >= 0; 0 means no softmax */
  temperature: number;
  nonFinite: NonFinitePolicy;
  /** score `w_t * g_t` (and `w_a w_b K[a][b]`), the gradients the backbone receives, from the capture's `weight.<task>` */
  weighted: boolean;
}

export const DEFAULT_SCORE_OPTIONS: ScoreOptions = {
  saliency: 'grad',
  granularity: 'element',
  temperature: 0,
  nonFinite: 'error',
  weighted: false,
};


export const SALIENCIES: readonly Saliency[] = ['grad', 'grad_x_act'];
export const GRANULARITIES: readonly Granularity[] = ['element', 'channel', 'spatial'];
export const NONFINITE_POLICIES: readonly NonFinitePolicy[] = ['error', 'skip'];

/** Fills in the defaults and rejects values outside the spec, naming the option. */
export function resolveScoreOptions(options: Partial<ScoreOptions> = {}): ScoreOptions {
  const o: ScoreOptions = { ...DEFAULT_SCORE_OPTIONS };
  for (const [k, v] of Object.entries(options)) if (v !== undefined) (o as unknown as Record<string, unknown>)[k] = v;
  check('saliency', o.saliency, SALIENCIES);
  check('granularity', o.granularity, GRANULARITIES);
  check('nonFinite', o.nonFinite, NONFINITE_POLICIES);
  if (typeof o.temperature !== 'number' || !Number.isFinite(o.temperature) || o.temperature < 0) {
    throw new UserError(`temperature must be a finite number >= 0 (got ${String(o.temperature)})`);
  }
  if (typeof o.weighted !== 'boolean') throw new UserError(`weighted must be true or false (got ${JSON.stringify(o.weighted)})`);
  return { saliency: o.saliency, granularity: o.granularity, temperature: o.temperature, nonFinite: o.nonFinite, weighted: o.weighted };
}

function check(name: string, value: unknown, allowed: readonly string[]): void {
  if (!allowed.includes(value as string)) {
    throw new UserError(`${name} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
  }
}
