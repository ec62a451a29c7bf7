import { basename, resolve } from 'node:path';
import {
  GRANULARITIES,
  NONFINITE_POLICIES,
  SALIENCIES,
  scoreCaptures,
  toCSV,
  toJSON,
  type ScoreOptions,
} from '@mtl-fd/metrics';
import type { Command } from '../command.js';
import { numberOption, oneOf, parseCommandArgs, UsageError } from '../args.js';
import { captureFiles } from '../captureArgs.js';
import { emit } from '../output.js';
import { createProgress } from '../progress.js';
import { captureCheckpoints } from './scoreModel.js';

const NAME = 'score';
const FORMATS = ['csv', 'json'] as const;

const USAGE = `Usage: mtl-fd score <capture | run dir>... [options]
       mtl-fd score --model <model.json | dir> --shared-layer <name> --probe <file> [options]

Scores captures (a run directory means all its captures, in step order) and prints
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
  --format csv|json                      csv (default), or {"options": {...}, "rows": [...]}
  --out <file>                           write there atomically instead of stdout; with csv
                                         also <file>.options.json, the options used
  --model <model.json | dir>             score tfjs checkpoints: capture each one first
  --shared-layer <name>                  (with --model) the layer whose output is shared
  --probe <file>                         (with --model) safetensors probe batch

The options used are always recorded: in the JSON envelope, in the .options.json
sidecar of a CSV --out, and on stderr. Errors print one line and exit 2; nothing
is written then.
`;

export const scoreCommand: Command = {
  name: NAME,
  summary: 'score captures or run directories: FD, gradient and loss identifiers as a tidy table',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(NAME, argv, {
      saliency: { type: 'string' },
      granularity: { type: 'string' },
      temperature: { type: 'string' },
      nonfinite: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      model: { type: 'string' },
      'shared-layer': { type: 'string' },
      probe: { type: 'string' },
    });
    const str = (k: string) => values[k] as string | undefined;
    const options: ScoreOptions = {
      saliency: oneOf(NAME, 'saliency', str('saliency'), SALIENCIES, 'grad'),
      granularity: oneOf(NAME, 'granularity', str('granularity'), GRANULARITIES, 'element'),
      temperature: numberOption(NAME, 'temperature', str('temperature'), 0, 0),
      nonFinite: oneOf(NAME, 'nonfinite', str('nonfinite'), NONFINITE_POLICIES, 'error'),
    };
    const format = oneOf(NAME, 'format', str('format'), FORMATS, 'csv');
    const out = str('out') === undefined ? undefined : resolve(io.cwd, str('out')!);

    const files = await captureFiles(positionals, io.cwd);
    const modelFlags = ['model', 'shared-layer', 'probe'].filter((k) => str(k) !== undefined);
    if (modelFlags.length > 0) {
      if (modelFlags.length < 3) throw new UsageError('--model, --shared-layer and --probe go together');
      files.push(...(await captureCheckpoints({ model: str('model')!, sharedLayer: str('shared-layer')!, probe: str('probe')! }, io)));
    }
    if (files.length === 0) throw new UsageError('no captures given (see mtl-fd score --help)');

    const progress = createProgress(io, NAME, 'scored', files.length);
    let result;
    try {
      result = await scoreCaptures(files, options, (p) => progress.update(p.done, basename(p.file)));
    } finally {
      progress.finish();
    }
    const text = format === 'json' ? toJSON(result.rows, result.options) : toCSV(result.rows);
    const sidecar = format === 'csv' && out !== undefined ? [{ path: `${out}.options.json`, text: `${JSON.stringify({ options: result.options }, null, 2)}\n` }] : [];
    await emit(io, text, out, sidecar);
    for (const w of result.warnings) io.stderr(`mtl-fd ${NAME}: warning: ${w}\n`);
    const o = result.options;
    io.stderr(
      `mtl-fd ${NAME}: ${files.length} capture(s), ${new Set(result.rows.map((r) => r.run)).size} run(s); saliency=${o.saliency} granularity=${o.granularity} temperature=${o.temperature} nonfinite=${o.nonFinite}\n`,
    );
    return 0;
  },
};
