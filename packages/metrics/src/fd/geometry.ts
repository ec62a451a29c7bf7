import type { Layout } from '@mtl-fd/capture';
import { UserError } from '@mtl-fd/capture';

/** How one batch row of `[B, ...]` splits into channels and positions. */
export interface UnitGeometry {
  /** elements per batch row */
  rowSize: number;
  /** C: channels per row */
  channels: number;
  /** P: positions per row (H*W, L, or 1 for NC) */
  positions: number;
  /** channels-last rows are P blocks of C values; channels-first rows are C blocks of P values */
  channelsLast: boolean;
}

const CHANNELS_LAST: Record<Layout, boolean> = { NC: true, NHWC: true, NLC: true, NCHW: false, NCL: false };
const RANK: Record<Layout, number> = { NC: 2, NHWC: 4, NLC: 3, NCHW: 4, NCL: 3 };

/** Channel and position counts of a `[B, ...]` shape under a layout (docs/metrics.md §2). */
export function unitGeometry(layout: Layout, shape: readonly number[]): UnitGeometry {
  const rank = RANK[layout];
  if (rank === undefined) throw new UserError(`unknown layout '${String(layout)}'`);
  if (shape.length !== rank) {
    throw new UserError(`layout ${layout} needs a rank-${rank} shape, got [${shape.join(', ')}]`);
  }
  const channelsLast = CHANNELS_LAST[layout];
  const channels = channelsLast ? shape[rank - 1]! : shape[1]!;
  let rowSize = 1;
  for (let d = 1; d < rank; d++) rowSize *= shape[d]!;
  return { rowSize, channels, positions: channels === 0 ? 0 : rowSize / channels, channelsLast };
}
