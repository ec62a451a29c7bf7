/** The names a capture gives its tensors (docs/capture-format.md §3). */
export const FEATURES_TENSOR = 'features';
export const PARAM_GRAM_TENSOR = 'param_gram';
export const GRAD_PREFIX = 'grad.';
export const LOSS_PREFIX = 'loss.';
export const WEIGHT_PREFIX = 'weight.';

export function gradTensorName(task: string): string {
  return `${GRAD_PREFIX}${task}`;
}

export function lossTensorName(task: string): string {
  return `${LOSS_PREFIX}${task}`;
}

export function weightTensorName(task: string): string {
  return `${WEIGHT_PREFIX}${task}`;
}
