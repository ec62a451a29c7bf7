import { CaptureError, quote } from './captureError.js';
import { parseCaptureMetadata } from './captureMetadata.js';
import { CAPTURE_DTYPES, DTYPE_BYTES, isCaptureDType } from './dtypes.js';
import type { SafetensorsHeader, TensorEntry } from './safetensorsHeader.js';
import { FEATURES_TENSOR, GRAD_PREFIX, LOSS_PREFIX, PARAM_GRAM_TENSOR, WEIGHT_PREFIX, gradTensorName, weightTensorName } from './tensorNames.js';
import type { CaptureMeta, DType, Layout } from './types.js';

/** Rank the features must have for each layout. */
export const LAYOUT_RANK: Readonly<Record<Layout, number>> = { NC: 2, NLC: 3, NCL: 3, NHWC: 4, NCHW: 4 };

/** Where one tensor's bytes are in the file. */
export interface TensorSpan {
  name: string;
  dtype: DType;
  shape: number[];
  /** absolute file offset */
  offset: number;
  byteLength: number;
}

/** A header that satisfies every rule of `mtl-fd/capture@1`, with the bulk tensors located. */
export interface CaptureHeader {
  meta: CaptureMeta;
  shape: number[];
  dtype: DType;
  rowSize: number;
  /** bytes per batch row of `features` (and of each gradient) */
  rowBytes: number;
  features: TensorSpan;
  /** in `meta.tasks` order */
  grads: TensorSpan[];
  /** in `meta.tasks` order, for the tasks that have one */
  losses: { task: string; span: TensorSpan }[];
  paramGram?: TensorSpan;
  /** `weight.<task>` in `meta.tasks` order: one per task, or absent */
  weights?: TensorSpan[];
}

const FLOAT_CHOICES = `${CAPTURE_DTYPES.slice(0, -1).join(', ')} or ${CAPTURE_DTYPES.at(-1)}`;

/**
 * Applies the capture rules to a structurally valid safetensors header. Tensors with
 * other names are ignored (producers may add their own); a `grad.*` or `loss.*` name
 * that matches no task is an error, since it signals a mismatch with `tasks`.
 * Gradients must share the features' dtype: a mix is almost surely a producer bug,
 * and one dtype lets readers size and decode every bulk tensor alike.
 */
export function validateCaptureHeader(file: string, header: SafetensorsHeader): CaptureHeader {
  const meta = parseCaptureMetadata(file, header.metadata);
  const { tasks, layout } = meta;
  const byName = new Map(header.tensors.map((t) => [t.name, t]));
  const span = (t: TensorEntry, dtype: DType): TensorSpan => ({
    name: t.name,
    dtype,
    shape: t.shape,
    offset: header.dataStart + t.begin,
    byteLength: t.end - t.begin,
  });

  const feat = byName.get(FEATURES_TENSOR);
  if (!feat) throw new CaptureError(file, `missing required tensor "${FEATURES_TENSOR}"`);
  const dtype = floatDType(file, feat, CAPTURE_DTYPES);
  const shape = feat.shape;
  if (shape.length !== LAYOUT_RANK[layout]) {
    throw new CaptureError(
      file,
      `layout ${layout} needs features of rank ${LAYOUT_RANK[layout]}, but features has shape ${shapeText(shape)} (rank ${shape.length})`,
    );
  }
  if (shape.some((d) => d < 1)) throw new CaptureError(file, `features has shape ${shapeText(shape)}: every dimension must be at least 1`);
  const rowSize = shape.slice(1).reduce((a, b) => a * b, 1);

  for (const t of header.tensors) {
    for (const prefix of [GRAD_PREFIX, LOSS_PREFIX, WEIGHT_PREFIX]) {
      if (t.name.startsWith(prefix) && !tasks.includes(t.name.slice(prefix.length))) {
        throw new CaptureError(file, `tensor ${quote(t.name)} names no task in metadata tasks ${JSON.stringify(tasks)}`);
      }
    }
  }

  const grads = tasks.map((task) => {
    const name = gradTensorName(task);
    const g = byName.get(name);
    if (!g) throw new CaptureError(file, `missing tensor "${name}" for task "${task}" listed in metadata tasks`);
    if (!sameShape(g.shape, shape)) {
      throw new CaptureError(file, `tensor "${name}" has shape ${shapeText(g.shape)} but features has ${shapeText(shape)}`);
    }
    if (g.dtype !== dtype) {
      throw new CaptureError(file, `tensor "${name}" is ${g.dtype} but features is ${dtype}; gradients must be stored in the features' dtype`);
    }
    return span(g, dtype);
  });

  const scalar = (t: TensorEntry, what: string): TensorSpan => {
    const scalarDType = floatDType(file, t, CAPTURE_DTYPES);
    if (!(t.shape.length === 0 || (t.shape.length === 1 && t.shape[0] === 1))) {
      throw new CaptureError(file, `tensor ${quote(t.name)} has shape ${shapeText(t.shape)}; a ${what} must have shape [] or [1]`);
    }
    return span(t, scalarDType);
  };
  const losses: CaptureHeader['losses'] = [];
  for (const task of tasks) {
    const l = byName.get(`${LOSS_PREFIX}${task}`);
    if (l) losses.push({ task, span: scalar(l, 'loss') });
  }
  // weights: every task or none (a partial set would weight some tasks and silently not others)
  const weightEntries = tasks.map((task) => byName.get(weightTensorName(task)));
  const weighted = weightEntries.filter((w) => w !== undefined).length;
  if (weighted > 0 && weighted < tasks.length) {
    const missing = tasks.filter((_, i) => !weightEntries[i]);
    throw new CaptureError(file, `has weights for some tasks but not for ${JSON.stringify(missing)}; write weight.<task> for every task or for none`);
  }

  const result: CaptureHeader = { meta, shape, dtype, rowSize, rowBytes: rowSize * DTYPE_BYTES[dtype], features: span(feat, dtype), grads, losses };
  const gram = byName.get(PARAM_GRAM_TENSOR);
  if (gram) {
    const gramDType = floatDType(file, gram, ['F32', 'F64']);
    const T = tasks.length;
    if (!sameShape(gram.shape, [T, T])) {
      throw new CaptureError(
        file,
        `tensor "${PARAM_GRAM_TENSOR}" has shape ${shapeText(gram.shape)} but metadata tasks lists ${T} tasks (needs [${T}, ${T}])`,
      );
    }
    result.paramGram = span(gram, gramDType);
  }
  if (weighted > 0) result.weights = weightEntries.map((w) => scalar(w!, 'weight'));
  return result;
}

function floatDType(file: string, t: TensorEntry, allowed: readonly DType[]): DType {
  if (!isCaptureDType(t.dtype) || !allowed.includes(t.dtype)) {
    const choices = allowed === CAPTURE_DTYPES ? FLOAT_CHOICES : allowed.join(' or ');
    throw new CaptureError(file, `tensor ${quote(t.name)} has dtype ${t.dtype}; it must be ${choices}`);
  }
  return t.dtype;
}

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function shapeText(shape: number[]): string {
  return `[${shape.join(', ')}]`;
}
