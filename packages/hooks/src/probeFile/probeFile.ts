import * as tf from '@tensorflow/tfjs';
import { UserError } from '@mtl-fd/capture';
import { probeInputs, probeTargets, type ProbeBatch } from '../capture/probeBatch.js';
import { readSafetensors, writeSafetensors, type PlainTensor, type TensorToWrite } from './safetensors.js';

/**
 * A probe file (`mtl-fd/probe@1`): a safetensors file holding one probe batch.
 * Tensors: `x` (a model with one input) or `x.<input name>` per input, and
 * `y.<output name>` per output to capture as a task; any dtype, read as float32.
 * Metadata (all optional): `format` = `mtl-fd/probe@1`; `tasks`, a JSON object
 * output name -> task name; `losses`, a JSON object output name -> tfjs loss name.
 */
export const PROBE_FORMAT = 'mtl-fd/probe@1';

export interface ProbeFile {
  file: string;
  /** by input name; the key is '' for a lone `x` */
  inputs: Map<string, PlainTensor>;
  /** by output name */
  targets: Map<string, PlainTensor>;
  tasks?: Record<string, string>;
  losses?: Record<string, string>;
}

function jsonStringMap(file: string, key: string, text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UserError(`${file}: metadata '${key}' is not JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw new UserError(`${file}: metadata '${key}' must be a JSON object of strings (output name -> ${key === 'tasks' ? 'task name' : 'loss name'})`);
  }
  return value as Record<string, string>;
}

export async function readProbeFile(file: string): Promise<ProbeFile> {
  const { metadata, tensors } = await readSafetensors(file);
  if (metadata.format !== undefined && metadata.format !== PROBE_FORMAT) {
    throw new UserError(`${file}: format is '${metadata.format}', expected '${PROBE_FORMAT}'`);
  }
  const inputs = new Map<string, PlainTensor>();
  const targets = new Map<string, PlainTensor>();
  for (const [name, t] of tensors) {
    if (name === 'x') inputs.set('', t);
    else if (name.startsWith('x.') && name.length > 2) inputs.set(name.slice(2), t);
    else if (name.startsWith('y.') && name.length > 2) targets.set(name.slice(2), t);
    else throw new UserError(`${file}: unexpected tensor '${name}' (a probe file holds x or x.<input>, and y.<output>)`);
  }
  if (inputs.has('') && inputs.size > 1) throw new UserError(`${file}: has both x and x.<input> tensors`);
  if (inputs.size === 0) throw new UserError(`${file}: no inputs (tensor x, or x.<input name> per model input)`);
  if (targets.size === 0) throw new UserError(`${file}: no targets (a y.<output name> tensor per task)`);
  const tasks = jsonStringMap(file, 'tasks', metadata.tasks);
  const losses = jsonStringMap(file, 'losses', metadata.losses);
  return { file, inputs, targets, ...(tasks ? { tasks } : {}), ...(losses ? { losses } : {}) };
}

/** The probe file's batch as tensors for `model` (the caller disposes them); names checked. */
export function probeFileBatch(model: tf.LayersModel, probe: ProbeFile): { xs: tf.Tensor[]; ys: Record<string, tf.Tensor> } {
  const { file } = probe;
  const inputNames = model.inputNames;
  if (probe.inputs.has('') && inputNames.length !== 1) {
    throw new UserError(`${file}: has one input x, but the model has ${inputNames.length} inputs: name them x.${inputNames.join(', x.')}`);
  }
  for (const name of probe.inputs.keys()) {
    if (name !== '' && !inputNames.includes(name)) throw new UserError(`${file}: x.${name} is no model input (inputs: ${inputNames.join(', ')})`);
  }
  for (const name of probe.targets.keys()) {
    if (!model.outputNames.includes(name)) throw new UserError(`${file}: y.${name} is no model output (outputs: ${model.outputNames.join(', ')})`);
  }
  const inputTensors: tf.Tensor[] = [];
  const ys: Record<string, tf.Tensor> = {};
  try {
    inputNames.forEach((name, i) => {
      const t = probe.inputs.get(name) ?? (inputNames.length === 1 ? probe.inputs.get('') : undefined);
      if (t === undefined) throw new UserError(`${file}: no tensor x.${name} for model input '${name}'`);
      const want = model.inputs[i]?.shape ?? [];
      const fits = t.shape.length === want.length && want.every((d, k) => d === null || d === t.shape[k]);
      if (!fits) throw new UserError(`${file}: input '${name}' has shape [${t.shape}] but the model takes [${want.map((d) => d ?? 'B')}]`);
      inputTensors.push(tf.tensor(t.values, t.shape));
    });
    for (const [name, t] of probe.targets) ys[name] = tf.tensor(t.values, t.shape);
  } catch (err) {
    tf.dispose([...inputTensors, ...Object.values(ys)]);
    throw err;
  }
  return { xs: inputTensors, ys };
}

/** A tensor's values for the file: int32 stays int32, everything else is float32. */
async function plain(t: tf.Tensor): Promise<TensorToWrite> {
  const data = await t.data();
  return { shape: t.shape, values: data instanceof Int32Array ? data : Float32Array.from(data as ArrayLike<number>) };
}

/**
 * Writes a probe batch as a probe file for `mtl-fd score --model ... --probe <file>`.
 * `tasks` / `losses` (output name -> task name / tfjs loss name) go into its metadata.
 */
export async function writeProbeFile(
  file: string,
  model: tf.LayersModel,
  batch: ProbeBatch,
  options: { tasks?: Record<string, string>; losses?: Record<string, string> } = {},
): Promise<void> {
  const xs = probeInputs(model, batch.xs);
  const ys = probeTargets(model, batch.ys);
  const tensors = new Map<string, TensorToWrite>();
  for (let i = 0; i < xs.length; i++) {
    tensors.set(xs.length === 1 ? 'x' : `x.${model.inputNames[i]}`, await plain(xs[i] as tf.Tensor));
  }
  for (const [name, t] of ys) tensors.set(`y.${name}`, await plain(t));
  const metadata: Record<string, string> = { format: PROBE_FORMAT };
  if (options.tasks) metadata.tasks = JSON.stringify(options.tasks);
  if (options.losses) metadata.losses = JSON.stringify(options.losses);
  await writeSafetensors(file, tensors, metadata);
}
