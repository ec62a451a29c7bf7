import * as tf from '@tensorflow/tfjs';
import { UserError, type Layout } from '@mtl-fd/capture';
import { dataFormatOf, layoutOfRank } from './layout.js';

type Layer = tf.layers.Layer;
type Sym = tf.SymbolicTensor;

/** The parts of a tfjs-layers graph node used here (a Node records one call of a layer). */
interface GraphNode {
  inboundLayers: Layer[];
  inputTensors: Sym[];
  outputTensors: Sym[];
  callArgs?: Record<string, unknown>;
}

function nodeOf(t: Sym): GraphNode {
  return t.sourceLayer.inboundNodes[t.nodeIndex] as unknown as GraphNode;
}

/** A model input (an InputLayer's node lists the input itself as its input). */
function isInput(t: Sym): boolean {
  return nodeOf(t).inboundLayers.length === 0;
}

/** A model split at its shared layer: backbone (inputs -> z) and heads (z -> outputs). */
export interface SharedGraph {
  model: tf.LayersModel;
  sharedLayer: Layer;
  /** the shared representation: the output of `sharedLayer` every head reads */
  z: Sym;
  layout: Layout;
  /** a model over the same layers (so the same weights) from the inputs to z */
  backbone: tf.LayersModel;
  /** model outputs by name, as SymbolicTensors */
  outputs: Map<string, Sym>;
}

function listNames(names: string[]): string {
  return names.length <= 12 ? names.join(', ') : `${names.slice(0, 12).join(', ')}, ... (${names.length} in all)`;
}

/**
 * Splits `model` at `sharedLayerName`. Every model output must be computed from the
 * shared layer's output alone: a head that also reads a tensor not downstream of it
 * (a skip connection around the shared layer, a second input) is refused, since the
 * gradient w.r.t. z would then not be the whole story.
 */
export function splitAtSharedLayer(model: tf.LayersModel, sharedLayerName: string): SharedGraph {
  const sharedLayer = model.layers.find((l) => l.name === sharedLayerName);
  if (sharedLayer === undefined) {
    throw new UserError(`shared layer '${sharedLayerName}' is not a layer of model '${model.name}' (its layers: ${listNames(model.layers.map((l) => l.name))})`);
  }
  if (model.outputs.length < 2) {
    throw new UserError(`model '${model.name}' has ${model.outputs.length} output: a multi-task capture needs one output per task (at least 2)`);
  }

  // does this tensor depend on the shared layer's output? (memoised over the DAG)
  const zCandidates = new Map<number, Sym>();
  const depends = new Map<number, boolean>();
  const dependsOnShared = (t: Sym): boolean => {
    const known = depends.get(t.id);
    if (known !== undefined) return known;
    let result: boolean;
    if (t.sourceLayer === sharedLayer) {
      zCandidates.set(t.id, t);
      result = true;
    } else if (isInput(t)) {
      result = false;
    } else {
      // evaluate every input (no short-circuit) so all z candidates are seen
      result = nodeOf(t).inputTensors.map(dependsOnShared).some(Boolean);
    }
    depends.set(t.id, result);
    return result;
  };

  const outputs = new Map<string, Sym>();
  model.outputs.forEach((out, i) => {
    const name = model.outputNames[i] as string;
    outputs.set(name, out);
    if (!dependsOnShared(out)) {
      throw new UserError(`output '${name}' does not depend on shared layer '${sharedLayerName}': choose a layer that feeds every head`);
    }
  });
  if (zCandidates.size !== 1) {
    throw new UserError(`shared layer '${sharedLayerName}' is called ${zCandidates.size} times (or has several outputs) on the way to the outputs: the shared representation must be one tensor`);
  }
  const z = [...zCandidates.values()][0] as Sym;

  // every head must be a function of z alone
  const checked = new Set<number>();
  const checkHead = (t: Sym, output: string): void => {
    if (t.id === z.id || checked.has(t.id)) return;
    checked.add(t.id);
    for (const input of nodeOf(t).inputTensors) {
      if (!dependsOnShared(input)) {
        throw new UserError(
          `output '${output}' reads layer '${input.sourceLayer.name}' through '${t.sourceLayer.name}', and '${input.sourceLayer.name}' is not downstream of shared layer '${sharedLayerName}' (a skip connection around it?): gradients w.r.t. its output would miss that path`,
        );
      }
      checkHead(input, output);
    }
  };
  for (const [name, out] of outputs) checkHead(out, name);

  const layout = layoutOfRank(z.shape.length, `the output of shared layer '${sharedLayerName}'`, dataFormatOf(sharedLayer));
  const backbone = tf.model({ inputs: model.inputs, outputs: z, name: `${model.name}_mtlfd_backbone` });
  return { model, sharedLayer, z, layout, backbone, outputs };
}

/**
 * Runs the head from a concrete `z` to `output` by re-applying the layers downstream
 * of the shared layer, in inference mode (dropout off, batch norm on its moving
 * statistics, which it must not update). Call inside tf.tidy or tf.grad.
 */
export function applyHead(graph: SharedGraph, z: tf.Tensor, output: Sym): tf.Tensor {
  const values = new Map<number, tf.Tensor>([[graph.z.id, z]]);
  const evaluate = (t: Sym): tf.Tensor => {
    const known = values.get(t.id);
    if (known !== undefined) return known;
    const node = nodeOf(t);
    const inputs = node.inputTensors.map(evaluate);
    const result = t.sourceLayer.apply(inputs.length === 1 ? (inputs[0] as tf.Tensor) : inputs, {
      ...(node.callArgs ?? {}),
      training: false,
    }) as tf.Tensor | tf.Tensor[];
    const list = Array.isArray(result) ? result : [result];
    node.outputTensors.forEach((s, i) => values.set(s.id, list[i] as tf.Tensor));
    const value = values.get(t.id);
    if (value === undefined) throw new Error(`layer '${t.sourceLayer.name}' did not produce tensor ${t.name}`);
    return value;
  };
  return evaluate(output);
}
