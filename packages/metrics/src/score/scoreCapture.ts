import { runNameOf } from '@mtl-fd/capture';
import type { CaptureInfo } from '@mtl-fd/capture';
import { FdAccumulator } from '../fd/accumulator.js';
import type { FdScores } from '../fd/scores.js';
import { GramAccumulator } from '../gram/accumulate.js';
import { gramIdentifiers, type GramIdentifiers } from '../gram/identifiers.js';
import type { TidyRow } from '../table/types.js';
import { resolveScoreOptions } from '../options/scoreOptions.js';
import { fdRows, gramRows, lossRows } from './rows.js';
import { prefetched, rowBlocks, type CaptureSource } from './source.js';
import { weightedSource } from './weighting.js';
import type { ScoreOptions } from '../options/scoreOptions.js';

// Values per kernel call: small enough that the FD and Gram loops over one block
// find it in cache, large enough that per-call work is noise.
const BLOCK_ELEMENTS = 1 << 15;

export interface CaptureScores {
  info: CaptureInfo;
  /** the run the rows carry */
  run: string;
  options: ScoreOptions;
  fd: FdScores;
  grad: GramIdentifiers;
  param?: GramIdentifiers;
  rows: TidyRow[];
  /** one line each, naming the file */
  warnings: string[];
}

/**
 * Every per-capture score (FD, feature-level gradient identifiers, param_gram
 * identifiers, probe losses) in one pass over the capture's chunks: each chunk is
 * read once and both accumulators run over it, block by block, while it is in
 * cache. `run` overrides the run name (default: `runNameOf`). Under `weighted`
 * the gradients are scaled by the capture's task weights first (score/weighting.ts).
 */
export async function scoreCapture(
  raw: CaptureSource,
  options: Partial<ScoreOptions> = {},
  run?: string,
): Promise<CaptureScores> {
  const opts = resolveScoreOptions(options);
  const source = opts.weighted ? weightedSource(raw) : raw;
  const { info } = source;
  const tasks = info.meta.tasks;
  const fdAcc = new FdAccumulator({ tasks, layout: info.meta.layout, shape: info.shape, options: opts, file: info.file });
  const gram = new GramAccumulator(tasks.length);
  for await (const chunk of prefetched(source.chunks())) {
    for (const block of rowBlocks(chunk, BLOCK_ELEMENTS)) {
      const scored = fdAcc.add(block);
      gram.add(scored.grads, scored.rows * scored.rowSize);
    }
  }
  const fd = fdAcc.result();
  const T = tasks.length;
  const grad = gramIdentifiers(gram.matrix(), T);
  const param = info.paramGram ? gramIdentifiers(info.paramGram, T) : undefined;
  const key = { run: run ?? runNameOf(info, info.file), step: info.meta.step };
  const rows = [
    ...fdRows(key, tasks, fd, opts.nonFinite === 'skip'),
    ...gramRows('grad', key, tasks, grad),
    ...(param ? gramRows('param', key, tasks, param) : []),
    ...lossRows(key, tasks, info.losses),
  ];
  const warnings = [...fdWarnings(info.file, tasks, fd), ...gramWarnings(info.file, 'grad', tasks, grad)];
  if (param) for (const item of gramWarnings(info.file, 'param', tasks, param)) warnings.push(item);
  return { info, run: key.run, options: opts, fd, grad, ...(param ? { param } : {}), rows, warnings };
}

function fdWarnings(file: string, tasks: readonly string[], fd: FdScores): string[] {
  const out: string[] = [];
  if (fd.skipped > 0) out.push(`${file}: skipped ${fd.skipped} elements holding NaN or Infinity (skipped_nonfinite)`);
  if (fd.units > 0 && fd.dead_units === fd.units) out.push(`${file}: every unit is dead (zero saliency for all tasks); fd and fd_mass are null`);
  tasks.forEach((t, i) => {
    if (Number.isNaN(fd.fd_task[i]!)) out.push(`${file}: task '${t}' has zero saliency everywhere; its fd_task is null`);
  });
  return out;
}

function gramWarnings(file: string, prefix: 'grad' | 'param', tasks: readonly string[], g: GramIdentifiers): string[] {
  const out: string[] = [];
  tasks.forEach((t, i) => {
    if (g.norm[i] === 0) {
      out.push(`${file}: task '${t}' has a zero ${prefix === 'grad' ? 'feature' : 'parameter'} gradient; ${prefix}_cos with it is null and left out of ${prefix}_cos_mean and ${prefix}_conflict_frac`);
    }
  });
  if (g.cond === Infinity) {
    out.push(`${file}: ${prefix}_cond is infinite (the Gram matrix is singular: task gradients are linearly dependent or zero); written as null`);
  } else if (Number.isNaN(g.cond)) {
    out.push(`${file}: ${prefix}_cond is undefined (the Gram matrix holds a non-finite value); written as null`);
  }
  return out;
}
