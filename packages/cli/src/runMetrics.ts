import type { ScoreOptions } from '@mtl-fd/metrics';

const OPTION_KEYS: (keyof ScoreOptions)[] = ['saliency', 'granularity', 'temperature', 'nonFinite', 'weighted'];

// tables written before the weighted view existed were all unweighted
const recordedValue = (r: Record<string, unknown>, k: keyof ScoreOptions) => (k === 'weighted' ? (r[k] ?? false) : r[k]);

/** True when a recorded options object says the rows were scored with `options`. */
export function sameOptions(recorded: unknown, options: ScoreOptions): boolean {
  if (typeof recorded !== 'object' || recorded === null) return false;
  const r = recorded as Record<string, unknown>;
  return OPTION_KEYS.every((k) => recordedValue(r, k) === options[k]);
}

/** Score options as one short phrase, e.g. `saliency grad, granularity element, ...`; `no recorded options` when absent. */
export function describeOptions(options: unknown): string {
  if (typeof options !== 'object' || options === null) return 'no recorded options';
  const o = options as Record<string, unknown>;
  return OPTION_KEYS.map((k) => `${k} ${String(recordedValue(o, k))}`).join(', ');
}
