import type { FindingKind } from '@mtl-fd/diagnose';
import { TASKS, type TaskName } from '../data.js';
import type { RunTweak } from './tweak.js';

/** A finding a zoo run must raise: its kind, the tasks it names, from which capture it holds. */
export interface ZooExpectation {
  kind: FindingKind;
  /** the task the finding is about (its first task; `starved_task` names [starved, dominant]), or every task of a pair; [] for a run-wide kind or any task */
  tasks: TaskName[];
  /** the first capture where the pathology holds, as the epochs trained before it (0: the capture at step 0) */
  fromEpoch: number;
}

/** One run of the zoo: an equal-weighting model.fit run with one pathology, or none. */
export interface ZooEntry {
  name: string;
  /** what is wrong, in a few words (healthy: nothing) */
  pathology: string;
  /** how the run gets it, one sentence */
  how: string;
  tasks: TaskName[];
  tweak?: RunTweak;
  /** empty for a healthy run, which must raise no warning or critical finding */
  expect: ZooExpectation[];
}

/** Probe examples that bring the demo's per-element gradients to the scale of real runs (a loss is a mean over the batch). */
export const REAL_SCALE_PROBE = 512;

/** The healthy equal-weighting run of one seed. */
export function healthyEntry(seed: number): ZooEntry {
  return { name: `healthy-s${seed}`, pathology: 'healthy', how: `equal weighting, seed ${seed}`, tasks: [...TASKS], expect: [] };
}

/**
 * The pathology runs, each trained at the zoo's base seed. Kill and tie epochs are
 * 0-based epoch indices, applied at the start of that epoch, after the capture that
 * ends the one before; `fromEpoch` is then the first capture that shows it.
 */
export const PATHOLOGIES: readonly ZooEntry[] = [
  {
    name: 'dead-head',
    pathology: 'dead head',
    how: "after epoch 1, the sum head's hidden ReLU biases are lowered 10 below every training example's pre-activation: no unit fires again",
    tasks: [...TASKS],
    tweak: { killHead: { task: 'sum', epoch: 1, margin: 10 } },
    expect: [{ kind: 'dead_task', tasks: ['sum'], fromEpoch: 2 }],
  },
  {
    name: 'starved',
    pathology: 'starved tasks',
    how: 'fixed loss weights 100:1:1 (left x100), read in the weighted view',
    tasks: [...TASKS],
    tweak: { weights: { left: 100 } },
    expect: [
      { kind: 'starved_task', tasks: ['right'], fromEpoch: 0 },
      { kind: 'starved_task', tasks: ['sum'], fromEpoch: 0 },
    ],
  },
  {
    name: 'conflict',
    pathology: 'conflicting tasks',
    how: "the right task's target is 'any digit but the left one' (1/9 on each other class), read from the left task's head: one head serves both",
    tasks: [...TASKS],
    tweak: { sharedHead: { task: 'right', of: 'left' }, target: { task: 'right', from: 'not-left' } },
    expect: [{ kind: 'gradient_conflict', tasks: ['left', 'right'], fromEpoch: 0 }],
  },
  {
    name: 'lagging',
    pathology: 'lagging task',
    how: "the right task's training labels are shuffled over the examples: noise it cannot learn while the others learn",
    tasks: [...TASKS],
    tweak: { target: { task: 'right', from: 'shuffled' } },
    // the lag holds once the others have learned: by the third epoch, at the zoo's smallest sizes too
    expect: [{ kind: 'lagging_task', tasks: ['right'], fromEpoch: 3 }],
  },
  {
    name: 'fd-collapse',
    pathology: 'collapse of FD',
    how: "two tasks, right labelled with the left digit; from the third epoch on, the right head is overwritten with the left head's weights before every batch",
    tasks: ['left', 'right'],
    tweak: { target: { task: 'right', from: 'left' }, tieHead: { task: 'right', of: 'left', fromEpoch: 2 } },
    expect: [{ kind: 'entanglement_collapse', tasks: [], fromEpoch: 3 }],
  },
  {
    name: 'ill-conditioned',
    pathology: 'ill-conditioned gradients',
    how: 'a task listed twice: right is labelled with the left digit and read from the left head, so two task gradients are one vector',
    tasks: [...TASKS],
    tweak: { sharedHead: { task: 'right', of: 'left' }, target: { task: 'right', from: 'left' } },
    expect: [{ kind: 'ill_conditioned', tasks: [], fromEpoch: 0 }],
  },
  {
    name: 'float16',
    pathology: 'float16 underflow',
    how: `a healthy run whose captures store the gradients in float16, probed with ${REAL_SCALE_PROBE} examples (per-element gradients of 1e-5..1e-4, as in real runs)`,
    tasks: [...TASKS],
    tweak: { captureDtype: 'F16', probeSize: REAL_SCALE_PROBE },
    expect: [{ kind: 'numerical_hazard', tasks: [], fromEpoch: 0 }],
  },
  {
    name: 'imbalanced-x10',
    pathology: 'starved task (x10)',
    how: 'fixed loss weights 10:1:1 (left x10, the demo\'s imbalanced method), read in the weighted view',
    tasks: [...TASKS],
    tweak: { weights: { left: 10 } },
    expect: [{ kind: 'starved_task', tasks: ['right'], fromEpoch: 0 }],
  },
];

/** The float16 run's healthy twin: the same run and probe, captures in float32 (the reference for what float16 lost). */
export const FLOAT32_TWIN: ZooEntry = {
  name: 'float32-twin',
  pathology: 'healthy',
  how: `the float16 run with float32 captures (${REAL_SCALE_PROBE}-example probe)`,
  tasks: [...TASKS],
  tweak: { probeSize: REAL_SCALE_PROBE },
  expect: [],
};
