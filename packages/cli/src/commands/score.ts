import { availableParallelism } from 'node:os';
import { basename, resolve } from 'node:path';
import { listSweep, scoreSweep } from '@mtl-fd/sweep';
import type { Command } from '../command.js';
import { SCORE_OPTION_FLAGS, scoreOptionsFrom } from '../scoreOptionArgs.js';
import { numberOption, oneOf, parseCommandArgs, UsageError } from '../args.js';
import { emit, warn } from '../output.js';
import { createProgress } from '../progress.js';
import { captureCheckpoints } from './scoreModel.js';
import { runShardedScore } from './scoreShard.js';
import { capturePathList } from '../capturePathList.js';
import { startJsonlStream } from '../jsonlStream.js';
import { encodeTable, optionsSidecarPath, TABLE_FORMATS } from '../tableOutput.js';
import { refuseOutputsOverInputs } from '../outputGuard.js';

const NAME = 'score';
const FORMATS = TABLE_FORMATS;

const USAGE = `Usage: mtl-fd score <capture | run dir>... [options]
       mtl-fd score --from <list | -> [options]
       mtl-fd score <capture | run dir>... --shard i/n|auto|auto/<n> --out <dir | pattern> [options]
       mtl-fd score --model <model.json | dir> --shared-layer <name> --probe <file> [options]

Scores captures (a run directory means all its captures, in step order; a directory
of run directories means every run in it) in parallel, reusing cached scores of
captures whose bytes and options are unchanged, and prints
the tidy table run,step,metric,task,task_b,value: fd, fd_mass, dead_units, units,
fd_task, fd_pair, the feature-gradient identifiers grad_*, param_* when a capture
has param_gram, probe losses, and per run loss_ratio, rel_rate, loss_share, dwa.

Options:
  --saliency grad|grad_x_act             S_t = |g_t| or |g_t * z| (default grad)
  --granularity element|channel|spatial  what a unit is (default element)
  --temperature <tau>                    0: entropy of q directly; > 0: of softmax(q / tau) (default 0)
  --nonfinite error|skip                 NaN/Inf in features or gradients: fail naming the
                                         tensor (default), or leave those elements out and
                                         count them in the skipped_nonfinite row
  --weighted                             score w_t * g_t, the gradients as the method
                                         weighted them (the captures' weight.<task>;
                                         none: weight 1); default each task's own
  --format csv|json|arrow|parquet|jsonl  csv (default), {"options": {...}, "rows": [...]},
                                         Apache Arrow IPC (file format with --out, stream
                                         format on stdout), Apache Parquet (options in the
                                         Arrow schema / Parquet key-value metadata under
                                         'mtl-fd.options'), or JSON lines: a first line
                                         {"options": {...}}, then one row a line; on stdout
                                         each capture's rows as soon as it is scored
                                         (finishing order), the per-run rows at the end
  --from <file | ->                      capture paths, one a line, from a file or stdin (-),
                                         besides any given as arguments
  --shard i/n | auto | auto/<n>          score only shard i of n (1-based) of the sweep; auto
                                         takes it from SLURM_ARRAY_TASK_ID, AWS_BATCH_JOB_-
                                         ARRAY_INDEX or JOB_COMPLETION_INDEX (0-based; count
                                         from the scheduler, auto/<n> or MTL_FD_SHARD_COUNT).
                                         --out is then a directory (<dir>/shard-<i>-of-<n>.<ext>)
                                         or a pattern with {shard} (-> <i>-of-<n>); a shard
                                         already finished does nothing; 'mtl-fd merge' joins them
  --out <file>                           write there atomically instead of stdout; with csv
                                         also <file>.options.json, the options used; a path
                                         that is one of the inputs (or a link to one) is refused
  --skip-bad                             a capture that fails validation gets one warning
                                         and is left out (default: it fails the sweep)
  --workers <n>                          worker threads (default: all cores; 0 = none; more
                                         than the cores is capped at the cores, with a warning)
  --cache-dir <dir>                      keep the per-capture score cache there (default:
                                         <run>/.mtl-fd-cache, keyed by content hash + options)
  --no-cache                             score every capture afresh, write no cache
  --model <model.json | dir>             score tfjs checkpoints: capture each one first
  --shared-layer <name>                  (with --model) the layer whose output is shared
  --probe <file>                         (with --model) safetensors probe batch
  --overwrite                            (with --model) replace captures that already exist
                                         at a checkpoint's step; without it such a capture
                                         (e.g. one training wrote) stops the command first

The options used are always recorded: in the JSON envelope, in the .options.json
sidecar of a CSV --out, and on stderr. Errors print one line and exit 2; nothing
is written then.
`;

export const scoreCommand: Command = {
  name: NAME,
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      ...SCORE_OPTION_FLAGS,
      format: { type: 'string' },
      out: { type: 'string' },
      model: { type: 'string' },
      'shared-layer': { type: 'string' },
      probe: { type: 'string' },
      workers: { type: 'string' },
      'cache-dir': { type: 'string' },
      'no-cache': { type: 'boolean' },
      overwrite: { type: 'boolean' },
      shard: { type: 'string' },
      from: { type: 'string' },
      'skip-bad': { type: 'boolean' },
    });
    const str = (k: string) => values[k] as string | undefined;
    const options = scoreOptionsFrom(values);
    const format = oneOf('format', str('format'), FORMATS, 'csv');
    const out = str('out') === undefined ? undefined : resolve(io.cwd, str('out')!);

    const cores = availableParallelism();
    let workers = numberOption('workers', str('workers'), cores, 0);
    if (!Number.isInteger(workers)) throw new UsageError(`--workers must be a whole number (got '${str('workers')}')`);
    // more threads than cores only cost memory (each worker holds its own chunks)
    if (workers > cores) {
      io.stderr(`mtl-fd ${NAME}: warning: --workers ${workers} is more than the ${cores} cores here; using ${cores}\n`);
      workers = cores;
    }
    if (values['no-cache'] && str('cache-dir') !== undefined) throw new UsageError('--no-cache and --cache-dir exclude each other');
    const cache: boolean | string = values['no-cache'] ? false : str('cache-dir') !== undefined ? resolve(io.cwd, str('cache-dir')!) : true;
    if ((format === 'arrow' || format === 'parquet') && out === undefined && !io.stdoutBytes) throw new UsageError(`--format ${format} needs --out here`);

    const files = positionals.map((p) => resolve(io.cwd, p));
    if (str('from') !== undefined) for (const item of (await capturePathList(str('from')!, io))) files.push(item);
    const modelFlags = ['model', 'shared-layer', 'probe'].filter((k) => str(k) !== undefined);
    if (modelFlags.length > 0) {
      if (modelFlags.length < 3) throw new UsageError('--model, --shared-layer and --probe go together');
      const overwrite = values.overwrite === true ? { overwrite: true } : {};
      for (const item of (await captureCheckpoints({ model: str('model')!, sharedLayer: str('shared-layer')!, probe: str('probe')!, ...overwrite }, io))) files.push(item);
    } else if (values.overwrite) throw new UsageError('--overwrite goes with --model (it lets the captures of checkpoints replace existing ones)');
    if (files.length === 0) throw new UsageError('no captures given (see mtl-fd score --help)');
    if (out !== undefined && str('shard') === undefined) {
      const outputs = [out, optionsSidecarPath(format, out)].filter((p): p is string => p !== undefined);
      const from = str('from');
      const inputs = [...(await listSweep(files)).files, ...(from !== undefined && from !== '-' ? [resolve(io.cwd, from)] : [])];
      await refuseOutputsOverInputs(outputs, inputs);
    }
    if (str('shard') !== undefined) {
      if (values['skip-bad']) throw new UsageError('--skip-bad does not go with --shard (a shard must hold every capture it lists)');
      return runShardedScore({ paths: files, options, format, out, shard: str('shard')!, sweep: { workers, cache } }, io, NAME);
    }
    const stream = format === 'jsonl' && out === undefined ? startJsonlStream(io, options) : undefined;

    let progress: ReturnType<typeof createProgress> | undefined;
    let result;
    try {
      result = await scoreSweep(files, options, {
        workers,
        cache,
        onBadCapture: values['skip-bad'] ? 'warn' : 'error',
        ...(stream ? { onCapture: stream.capture } : {}),
        onProgress: (p) => {
          progress ??= createProgress(io, NAME, 'scored', p.total);
          progress.update(p.done, basename(p.file));
        },
      });
    } finally {
      progress?.finish();
    }
    if (result.stats.files === 0) {
      throw new UsageError(`${positionals.join(', ')}: has no captures (captures/step-<8 digits>.safetensors)`);
    }
    if (stream) stream.finish(result.captures);
    else {
      const { content, companions } = encodeTable(result.rows, result.options, format, out);
      await emit(io, content, out, companions);
    }
    for (const w of result.warnings) warn(io, NAME, w);
    const o = result.options;
    io.stderr(
      `mtl-fd ${NAME}: ${result.stats.files} capture(s) (${result.stats.scored} scored, ${result.stats.cached} from cache${result.stats.failed ? `, ${result.stats.failed} bad and left out` : ''}), ${new Set(result.rows.map((r) => r.run)).size} run(s); saliency=${o.saliency} granularity=${o.granularity} temperature=${o.temperature} nonfinite=${o.nonFinite} weighted=${o.weighted}\n`,
    );
    return 0;
  },
};
