import { DEFAULT_SCORE_OPTIONS, GRANULARITIES, NONFINITE_POLICIES, SALIENCIES, type ScoreOptions } from '@mtl-fd/metrics';
import { numberOption, oneOf } from './args.js';

/** The parseArgs entries of the score options, shared by every command that scores. */
export const SCORE_OPTION_FLAGS = {
  saliency: { type: 'string' },
  granularity: { type: 'string' },
  temperature: { type: 'string' },
  nonfinite: { type: 'string' },
  weighted: { type: 'boolean' },
} as const;

/** The score options a command line asks for, validated, defaults from the metrics package. */
export function scoreOptionsFrom(values: Record<string, unknown>): ScoreOptions {
  const str = (k: string) => values[k] as string | undefined;
  const d = DEFAULT_SCORE_OPTIONS;
  return {
    saliency: oneOf('saliency', str('saliency'), SALIENCIES, d.saliency),
    granularity: oneOf('granularity', str('granularity'), GRANULARITIES, d.granularity),
    temperature: numberOption('temperature', str('temperature'), d.temperature, 0),
    nonFinite: oneOf('nonfinite', str('nonfinite'), NONFINITE_POLICIES, d.nonFinite),
    weighted: values.weighted === true,
  };
}
