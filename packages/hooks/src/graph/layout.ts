import type { Layout } from '@mtl-fd/capture';
import { UserError } from '@mtl-fd/capture';

/**
 * The capture layout of a tfjs feature tensor from its rank: tfjs layers are
 * channels-last, so `[B, C]` is NC, `[B, L, C]` NLC and `[B, H, W, C]` NHWC.
 */
export function layoutOfRank(rank: number, what: string): Layout {
  switch (rank) {
    case 2:
      return 'NC';
    case 3:
      return 'NLC';
    case 4:
      return 'NHWC';
    default:
      throw new UserError(`${what} has rank ${rank}: a capture needs rank 2 (NC), 3 (NLC) or 4 (NHWC) features`);
  }
}
