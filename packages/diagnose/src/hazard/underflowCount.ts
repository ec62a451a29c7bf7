import type { DType } from '@mtl-fd/capture';

/** Narrow storage dtypes whose gradients can underflow where float32 would not. */
export type NarrowDType = Extract<DType, 'F16' | 'BF16'>;

/** Smallest positive normal number of each narrow dtype: below it, values are subnormal (or flushed to 0). */
export const MIN_NORMAL: Readonly<Record<NarrowDType, number>> = { F16: 2 ** -14, BF16: 2 ** -126 };

export function isNarrowDType(dtype: DType): dtype is NarrowDType {
  return dtype === 'F16' || dtype === 'BF16';
}

/** Counts of one task's gradient values in one capture. */
export interface TaskUnderflowCount {
  task: string;
  values: number;
  /** exact zeros (either sign) */
  zeros: number;
  /** non-zero values below the dtype's smallest normal in magnitude */
  subnormals: number;
}

/** One narrow-dtype capture's counts, per task in the capture's task order. */
export interface CaptureUnderflowScan {
  file: string;
  run: string;
  step: number;
  dtype: NarrowDType;
  tasks: TaskUnderflowCount[];
}

/** Adds the zeros and subnormals among `values` (decoded exactly from the narrow dtype) to `count`. */
export function countUnderflow(values: ArrayLike<number>, minNormal: number, count: TaskUnderflowCount): void {
  let zeros = 0;
  let subnormals = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]!);
    if (a === 0) zeros++;
    else if (a < minNormal) subnormals++;
  }
  count.values += values.length;
  count.zeros += zeros;
  count.subnormals += subnormals;
}
