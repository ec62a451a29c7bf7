/** Shared-feature layouts a capture may declare (docs/capture-format.md §6). */
export type Layout = 'NC' | 'NHWC' | 'NCHW' | 'NLC' | 'NCL';
export const LAYOUTS: readonly Layout[] = ['NC', 'NHWC', 'NCHW', 'NLC', 'NCL'];

/** Float dtypes a capture may store features and gradients in. */
export type DType = 'F16' | 'BF16' | 'F32' | 'F64';

/** Values as the maths sees them: float32 data stays float32 (read into doubles), the rest is float64. */
export type FloatArray = Float32Array | Float64Array;

export const CAPTURE_FORMAT = 'mtl-fd/capture@1';

/** The `__metadata__` of a capture, parsed and validated. */
export interface CaptureMeta {
  format: typeof CAPTURE_FORMAT;
  step: number;
  tasks: string[];
  layout: Layout;
  epoch?: number;
  run?: string;
  producer?: string;
}

/** What a reader knows from the header (and the small tensors), before any bulk data is read. */
export interface CaptureInfo {
  file: string;
  meta: CaptureMeta;
  /** shape of `features` (and of every `grad.<task>`), `[B, ...]` */
  shape: number[];
  /** storage dtype of `features` */
  dtype: DType;
  /** elements per batch row: the product of `shape[1..]` */
  rowSize: number;
  /** probe loss per task name, for the `loss.<task>` tensors present */
  losses: Record<string, number>;
  /** `param_gram`, T x T row-major in `meta.tasks` order, when present */
  paramGram?: Float64Array;
  /** the loss weight the training applied per task (`weight.<task>`), for every task or absent */
  weights?: Record<string, number>;
}

/** Batch rows `[rowStart, rowStart + rows)` of the features and of every task's gradient. */
export interface RowChunk {
  rowStart: number;
  rows: number;
  rowSize: number;
  features: FloatArray;
  /** one per task, in `meta.tasks` order, each `rows * rowSize` long */
  grads: FloatArray[];
}

/** A capture held in memory, as a writer takes it. */
export interface CaptureData {
  meta: Omit<CaptureMeta, 'format'> & { format?: typeof CAPTURE_FORMAT };
  shape: number[];
  features: ArrayLike<number>;
  /** per task name (every name in `meta.tasks`), same length as `features` */
  grads: Record<string, ArrayLike<number>>;
  losses?: Record<string, number>;
  /** T x T row-major, `meta.tasks` order */
  paramGram?: ArrayLike<number>;
  /** the loss weight the training applied per task: every name in `meta.tasks`, or absent */
  weights?: Record<string, number>;
  /** storage dtype for features and gradients; default F32 */
  dtype?: DType;
}
