import type * as tf from '@tensorflow/tfjs';
import type { Layout } from '@mtl-fd/capture';
import { UserError } from '@mtl-fd/capture';

export type DataFormat = 'channelsFirst' | 'channelsLast';

/**
 * The capture layout of a tfjs feature tensor from its rank and data format: tfjs layers
 * are channels-last unless a layer says otherwise, so `[B, C]` is NC, `[B, L, C]` NLC and
 * `[B, H, W, C]` NHWC; channels-first `[B, C, L]` is NCL and `[B, C, H, W]` NCHW.
 */
export function layoutOfRank(rank: number, what: string, dataFormat: DataFormat = 'channelsLast'): Layout {
  const first = dataFormat === 'channelsFirst';
  switch (rank) {
    case 2:
      return 'NC';
    case 3:
      return first ? 'NCL' : 'NLC';
    case 4:
      return first ? 'NCHW' : 'NHWC';
    default:
      throw new UserError(`${what} has rank ${rank}: a capture needs rank 2 (NC), 3 (NLC/NCL) or 4 (NHWC/NCHW) features`);
  }
}

/**
 * The data format of a layer's output: its own `dataFormat` (conv, pooling, ...), else
 * that of the nearest layer upstream that has one (an activation or batch norm after a
 * channels-first conv keeps its format), else channels-last, tfjs's default.
 */
export function dataFormatOf(layer: tf.layers.Layer): DataFormat {
  const seen = new Set<tf.layers.Layer>();
  let current: tf.layers.Layer | undefined = layer;
  while (current !== undefined && !seen.has(current)) {
    seen.add(current);
    const format = (current.getConfig() as { dataFormat?: unknown }).dataFormat;
    if (format === 'channelsFirst' || format === 'channelsLast') return format;
    const inbound: { inboundLayers: tf.layers.Layer[] }[] = (current as unknown as { inboundNodes?: { inboundLayers: tf.layers.Layer[] }[] }).inboundNodes ?? [];
    current = inbound[0]?.inboundLayers[0];
  }
  return 'channelsLast';
}
