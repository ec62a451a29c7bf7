import * as tf from '@tensorflow/tfjs';
import type { Layout } from '@mtl-fd/capture';
import type { SharedGraph } from '../graph/sharedGraph.js';
import type { TaskSpec } from '../capture/tasks.js';
import { lossName } from '../capture/losses.js';
import { installedKernelFixes } from '../backend/kernels/index.js';
import { HOOKS_VERSION } from '../version.js';

export const RUN_FORMAT = 'mtl-fd/run@1';

/** `run.json`: what a run's captures are captures of. */
export interface RunManifest {
  format: typeof RUN_FORMAT;
  run: string;
  createdAt: string;
  model: { name: string; inputs: { name: string; shape: (number | null)[] }[]; outputs: { name: string; shape: (number | null)[] }[] };
  sharedLayer: { name: string; className: string; outputShape: (number | null)[] };
  layout: Layout;
  tasks: { task: string; output: string; loss: string }[];
  options: Record<string, unknown>;
  backend: { name: string; kernelFixes: string[] };
  versions: Record<string, string>;
  /** ISO 8601 time training ended (the probe's close); absent while it trains, and in older run.json */
  finishedAt?: string;
}

/** The `producer` metadata of captures written here. */
export function producer(): string {
  return `@mtl-fd/hooks ${HOOKS_VERSION} (tfjs ${tf.version_core}, ${tf.getBackend()})`;
}

export function buildManifest(run: string, graph: SharedGraph, tasks: TaskSpec[], options: Record<string, unknown>): RunManifest {
  const model = graph.model;
  const backend = tf.getBackend();
  return {
    format: RUN_FORMAT,
    run,
    createdAt: new Date().toISOString(),
    model: {
      name: model.name,
      inputs: model.inputs.map((t, i) => ({ name: model.inputNames[i] as string, shape: t.shape })),
      outputs: model.outputs.map((t, i) => ({ name: model.outputNames[i] as string, shape: t.shape })),
    },
    sharedLayer: { name: graph.sharedLayer.name, className: graph.sharedLayer.getClassName(), outputShape: graph.z.shape },
    layout: graph.layout,
    tasks: tasks.map((t) => ({ task: t.task, output: t.output, loss: lossName(t.loss) })),
    options,
    backend: { name: backend, kernelFixes: installedKernelFixes(backend) },
    versions: { '@mtl-fd/hooks': HOOKS_VERSION, '@tensorflow/tfjs-core': tf.version_core, node: process.version },
  };
}
