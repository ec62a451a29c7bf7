import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { diagnoseWithCaptures } from '@mtl-fd/diagnose';
import { scoreSweep } from '@mtl-fd/sweep';
import type { Command } from '../command.js';
import { parseCommandArgs, UsageError } from '../args.js';
import { warn } from '../output.js';
import { SCORE_OPTION_FLAGS, scoreOptionsFrom } from '../scoreOptionArgs.js';
import { describeCounts, TensorboardLogs } from '../tensorboardLogs.js';

const NAME = 'tensorboard';

const USAGE = `Usage: mtl-fd tensorboard <capture | run dir>... --logdir <dir> [options]

Writes every run's tidy metrics as TensorBoard scalars into <logdir>/<run>/ (event
files events.out.tfevents.<seconds>.<host>.mtl-fd; no TensorFlow needed), step = the
capture's step, tags mtl-fd/<metric>, mtl-fd/<metric>/<task> and
mtl-fd/<metric>/<task>,<task_b>. Null values are skipped (counted in the summary line).
The findings of \`mtl-fd diagnose\` go in as text (tag mtl-fd/findings) at the first
step of their range. Runs are scored as \`mtl-fd score\` does (cached).

Running it again appends only what the event files in <logdir>/<run>/ do not hold
yet (they are read back: no other record is kept). Then: tensorboard --logdir <dir>

Options:
  --logdir <dir>      the TensorBoard log directory (required)
  --no-findings       leave out the findings text
  --skip-bad          a capture that fails validation gets one warning and is left out
  --saliency, --granularity, --temperature, --nonfinite   score options (see mtl-fd score --help)
`;

export const tensorboardCommand: Command = {
  name: NAME,
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      ...SCORE_OPTION_FLAGS,
      logdir: { type: 'string' },
      'no-findings': { type: 'boolean' },
      'skip-bad': { type: 'boolean' },
    });
    const options = scoreOptionsFrom(values);
    if (typeof values.logdir !== 'string' || values.logdir === '') throw new UsageError('--logdir <dir> is required');
    if (positionals.length === 0) throw new UsageError('give at least one run directory or capture (see mtl-fd tensorboard --help)');
    const logdir = resolve(io.cwd, values.logdir);
    const result = await scoreSweep(
      positionals.map((p) => resolve(io.cwd, p)),
      options,
      { workers: availableParallelism() > 1 ? undefined : 0, onBadCapture: values['skip-bad'] ? 'warn' : 'error' },
    );
    if (result.stats.files === 0) throw new UsageError(`${positionals.join(', ')}: has no captures (captures/step-<8 digits>.safetensors)`);
    for (const w of result.warnings) warn(io, NAME, w);
    const findings = values['no-findings'] === true ? [] : await diagnoseWithCaptures(result.rows, result.captures.map((c) => c.file));
    const counts = await new TensorboardLogs(logdir).add(result.rows, findings);
    io.stderr(`mtl-fd ${NAME}: ${describeCounts(logdir, counts)}\n`);
    return 0;
  },
};
