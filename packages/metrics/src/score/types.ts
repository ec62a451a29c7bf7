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
}

export const DEFAULT_SCORE_OPTIONS: ScoreOptions = {
  saliency: 'grad',
  granularity: 'element',
  temperature: 0,
  nonFinite: 'error',
};
