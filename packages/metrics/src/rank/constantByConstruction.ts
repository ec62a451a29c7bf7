import { MEAN_OF_TASKS, type IdentifierVariant } from './identifierVariants.js';

/**
 * Per-task identifiers whose mean over the tasks is the same number for every run
 * by definition (docs/metrics.md §5 and §6): ranking runs by them would rank
 * rounding noise.
 */
const CONSTANT_MEANS: Readonly<Record<string, string>> = {
  rel_rate: 'rel_rate averaged over the tasks is 1 for every run by construction (each task\'s loss ratio over their mean)',
  grad_norm_share: 'grad_norm_share averaged over the tasks is 1/T for every run by construction (the shares sum to 1)',
  param_norm_share: 'param_norm_share averaged over the tasks is 1/T for every run by construction (the shares sum to 1)',
  loss_share: 'loss_share averaged over the tasks is 1/T for every run by construction (the shares sum to 1)',
  dwa: 'dwa averaged over the tasks is 1 for every run by construction (the weights sum to T)',
};

/** Why a table row is the same for every run by definition, or null when it is not. */
export function constantByConstruction(v: IdentifierVariant): string | null {
  if (v.task !== MEAN_OF_TASKS) return null;
  return Object.hasOwn(CONSTANT_MEANS, v.identifier) ? CONSTANT_MEANS[v.identifier]! : null;
}
