import { basename } from 'node:path';
import type { ScoreOptions } from '@mtl-fd/metrics';
import { resolveShard, scoreShard, shardTablePath, writeShard, type SweepOptions } from '@mtl-fd/sweep';
import { UsageError } from '../args.js';
import type { CliIO } from '../io.js';
import { warn } from '../output.js';
import { createProgress } from '../progress.js';
import { encodeTable, type TableFormat } from '../tableOutput.js';

export interface ShardedScoreRequest {
  paths: string[];
  options: ScoreOptions;
  format: TableFormat;
  /** --out, resolved: a directory or a pattern with {shard} */
  out: string | undefined;
  /** --shard: i/n, auto or auto/<n> */
  shard: string;
  sweep: Omit<SweepOptions, 'onProgress' | 'runLevel' | 'onCapture'>;
}

/**
 * `mtl-fd score --shard`: scores this shard's captures and writes its table, the
 * carry file merge needs and, last, the completion marker; a shard that already
 * finished with the same inputs does nothing (and says so).
 */
export async function runShardedScore(req: ShardedScoreRequest, io: CliIO, name: string): Promise<number> {
  const choice = resolveShard(req.shard, io.env ?? process.env);
  const { index, count } = choice.spec;
  io.stderr(`mtl-fd ${name}: shard ${index}/${count} (from ${choice.source})\n`);
  if (req.out === undefined) throw new UsageError('--shard needs --out: a directory, or a file pattern with {shard}');
  const table = await shardTablePath(req.out, choice.spec, req.format);

  let progress: ReturnType<typeof createProgress> | undefined;
  let done;
  try {
    done = await scoreShard(req.paths, choice.spec, table, req.format, req.options, {
      ...req.sweep,
      onProgress: (p) => {
        progress ??= createProgress(io, name, 'scored', p.total);
        progress.update(p.done, basename(p.file));
      },
    });
  } finally {
    progress?.finish();
  }
  const { plan, result } = done;
  if (plan.sweepCaptures === 0) throw new UsageError(`${req.paths.join(', ')}: has no captures (captures/step-<8 digits>.safetensors)`);
  for (const w of plan.warnings) warn(io, name, w);
  if (!result) {
    io.stderr(`mtl-fd ${name}: shard ${index}/${count} already finished (${table}.done.json): nothing to do\n`);
    return 0;
  }
  const { content, companions } = encodeTable(result.rows, done.options, req.format, table);
  await writeShard(table, [{ path: table, data: content }, ...companions.map((c) => ({ path: c.path, data: c.text }))], plan, result.captures, done.options, req.format);
  for (const w of result.warnings) warn(io, name, w);
  io.stderr(
    `mtl-fd ${name}: shard ${index}/${count}: ${plan.files.length} of ${plan.sweepCaptures} capture(s) (${result.stats.scored} scored, ${result.stats.cached} from cache) -> ${table}\n`,
  );
  return 0;
}
