import { resolve } from 'node:path';
import { mergeShards } from '@mtl-fd/sweep';
import type { Command } from '../command.js';
import { oneOf, parseCommandArgs, UsageError } from '../args.js';
import { emit, warn } from '../output.js';
import { encodeTable, TABLE_FORMATS } from '../tableOutput.js';

const NAME = 'merge';

const USAGE = `Usage: mtl-fd merge <shard table | shard dir>... [--out <file>] [--format csv|json|arrow|parquet|jsonl]

Merges the outputs of 'mtl-fd score --shard i/n' into the one table an unsharded
'mtl-fd score' of the same sweep writes, row for row, the run-level identifiers
(loss_ratio, rel_rate, loss_share, dwa) computed over each whole run from what the
shards carry (<table>.captures.jsonl). A directory means every finished shard in it
(each shard's <table>.done.json completion marker). Every shard 1..n must be there
exactly once, scored with the same options from the same sweep: a missing, duplicate
or mismatched shard is an error naming it.

Options:
  --out <file>            write there atomically instead of stdout (csv: also
                          <file>.options.json)
  --format <format>       csv (default), json, arrow, parquet or jsonl, as mtl-fd score
`;

export const mergeCommand: Command = {
  name: NAME,
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { out: { type: 'string' }, format: { type: 'string' } });
    const format = oneOf('format', values.format as string | undefined, TABLE_FORMATS, 'csv');
    const out = values.out === undefined ? undefined : resolve(io.cwd, values.out as string);
    if (positionals.length === 0) throw new UsageError('no shard outputs given (see mtl-fd merge --help)');
    if ((format === 'arrow' || format === 'parquet') && out === undefined && !io.stdoutBytes) throw new UsageError(`--format ${format} needs --out here`);
    const inputs = positionals.map((p) => resolve(io.cwd, p));
    if (out !== undefined && inputs.includes(out)) throw new UsageError(`--out ${values.out as string}: is one of the shard outputs`);
    const merged = await mergeShards(inputs);
    const { content, companions } = encodeTable(merged.rows, merged.options, format, out);
    await emit(io, content, out, companions);
    for (const w of merged.warnings) warn(io, NAME, w);
    io.stderr(`mtl-fd ${NAME}: ${merged.shards} shard(s), ${merged.captures.length} capture(s), ${new Set(merged.rows.map((r) => r.run)).size} run(s)\n`);
    return 0;
  },
};
