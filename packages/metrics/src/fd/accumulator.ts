import { CaptureError, UserError } from '@mtl-fd/capture';
import type { Layout, RowChunk } from '@mtl-fd/capture';
import { resolveScoreOptions } from '../options/scoreOptions.js';
import type { ScoreOptions } from '../options/scoreOptions.js';
import { unitGeometry, type UnitGeometry } from './geometry.js';
import { addChannelSums } from './kernels/channel.js';
import { addElementUnits, addElementUnitsGeneral } from './kernels/element.js';
import { addSpatialUnits } from './kernels/spatial.js';
import { firstNonFinite, multiIndex, zeroNonFinite } from './nonFinite.js';
import { fdFromSums, type FdScores } from './scores.js';
import { FdSums } from './sums.js';

export interface FdAccumulatorInit {
  /** task names in capture order (T >= 2); named in error messages */
  tasks: readonly string[];
  layout: Layout;
  /** `[B, ...]` of the features */
  shape: readonly number[];
  options?: Partial<ScoreOptions>;
  /** the capture, for error messages */
  file?: string;
}

/**
 * Streaming FD (docs/metrics.md §2-4): feed the row chunks of a capture in any
 * order, one at a time, then read `result()`. Element and spatial units are
 * finished inside each chunk; channel sums accumulate over all chunks and are
 * finished by `result()`. Memory is O(T * C) plus scratch for one chunk.
 *
 * Non-finite values are found inside the same loop (a sentinel that stays 0 only
 * while every value is finite); a chunk that trips it is redone on the careful
 * path, which throws (policy 'error') or scores a copy with the offending elements
 * left out (policy 'skip').
 */
export class FdAccumulator {
  readonly tasks: readonly string[];
  readonly options: ScoreOptions;
  readonly geometry: UnitGeometry;
  readonly file: string;
  private readonly shape: readonly number[];
  private readonly sums: FdSums;
  private readonly block: FdSums;
  private readonly channelSums: Float64Array | null;
  private readonly blockChannelSums: Float64Array | null;
  private spatialBuf = new Float64Array(0);
  private skippedElements = 0;

  constructor(init: FdAccumulatorInit) {
    this.tasks = [...init.tasks];
    this.file = init.file ?? 'capture';
    if (this.tasks.length < 2) throw new CaptureError(this.file, `needs at least 2 tasks, has ${this.tasks.length}`);
    this.options = resolveScoreOptions(init.options);
    this.shape = [...init.shape];
    this.geometry = unitGeometry(init.layout, init.shape);
    const T = this.tasks.length;
    this.sums = new FdSums(T, this.options.temperature);
    this.block = new FdSums(T, this.options.temperature);
    const channel = this.options.granularity === 'channel';
    this.channelSums = channel ? new Float64Array(T * this.geometry.channels) : null;
    this.blockChannelSums = channel ? new Float64Array(T * this.geometry.channels) : null;
  }

  /** Elements left out so far under policy 'skip'. */
  get skipped(): number {
    return this.skippedElements;
  }

  /**
   * Scores one chunk. Returns the chunk as scored: the chunk itself, or under
   * policy 'skip' a copy with the skipped elements zeroed, which is what other
   * accumulators of the same pass (the Gram matrix) should see.
   */
  add(chunk: RowChunk): RowChunk {
    this.check(chunk);
    if (this.run(chunk) === 0) {
      this.commit();
      return chunk;
    }
    this.discard();
    const hit = firstNonFinite(chunk, this.tasks);
    if (!hit) throw this.overflow();
    if (this.options.nonFinite === 'error') {
      throw new CaptureError(
        this.file,
        `${hit.tensor} holds ${hit.value} at [${multiIndex(hit.index, this.shape).join(', ')}] (the 'skip' non-finite policy leaves such elements out)`,
      );
    }
    const { chunk: clean, skipped } = zeroNonFinite(chunk);
    if (this.run(clean) !== 0) throw this.overflow();
    // a zeroed element is a dead unit to the kernels; at element granularity it is no unit at all
    if (this.options.granularity === 'element') this.block.dead -= skipped;
    this.skippedElements += skipped;
    this.commit();
    return clean;
  }

  result(): FdScores {
    if (!this.channelSums) return fdFromSums(this.sums, this.skippedElements);
    const T = this.tasks.length;
    const C = this.geometry.channels;
    const total = new FdSums(T, this.options.temperature);
    const R = new Float64Array(T);
    for (let c = 0; c < C; c++) {
      for (let t = 0; t < T; t++) R[t] = this.channelSums[t * C + c]!;
      total.addUnit(R);
    }
    return fdFromSums(total, this.skippedElements);
  }

  private run(chunk: RowChunk): number {
    const { features: f, grads: g, rows } = chunk;
    const n = rows * this.geometry.rowSize;
    if (n === 0) return 0;
    const gxa = this.options.saliency === 'grad_x_act';
    switch (this.options.granularity) {
      case 'element':
        return this.options.temperature === 0
          ? addElementUnits(f, g, n, gxa, this.block)
          : addElementUnitsGeneral(f, g, n, gxa, this.block);
      case 'channel':
        return addChannelSums(f, g, rows, this.geometry, gxa, this.blockChannelSums!);
      case 'spatial': {
        const need = g.length * rows * this.geometry.positions;
        if (this.spatialBuf.length < need) this.spatialBuf = new Float64Array(need);
        return addSpatialUnits(f, g, rows, this.geometry, gxa, this.block, this.spatialBuf);
      }
    }
  }

  private commit(): void {
    this.sums.merge(this.block);
    this.block.reset();
    if (this.channelSums && this.blockChannelSums) {
      for (let k = 0; k < this.channelSums.length; k++) this.channelSums[k] += this.blockChannelSums[k]!;
      this.blockChannelSums.fill(0);
    }
  }

  private discard(): void {
    this.block.reset();
    this.blockChannelSums?.fill(0);
  }

  private overflow(): CaptureError {
    return new CaptureError(this.file, 'saliency sums overflow float64 (feature or gradient values near 1e308)');
  }

  private check(chunk: RowChunk): void {
    const T = this.tasks.length;
    const n = chunk.rows * chunk.rowSize;
    if (chunk.rowSize !== this.geometry.rowSize) {
      throw new UserError(`${this.file}: chunk rows hold ${chunk.rowSize} values, the shape says ${this.geometry.rowSize}`);
    }
    if (chunk.grads.length !== T) throw new UserError(`${this.file}: chunk has ${chunk.grads.length} gradients for ${T} tasks`);
    if (chunk.features.length < n || chunk.grads.some((g) => g.length < n)) {
      throw new UserError(`${this.file}: chunk arrays are shorter than ${chunk.rows} rows`);
    }
  }
}
