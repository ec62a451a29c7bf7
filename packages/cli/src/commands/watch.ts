import { resolve } from 'node:path';
import type { Command } from '../command.js';
import { numberOption, parseCommandArgs, UsageError } from '../args.js';
import { SCORE_OPTION_FLAGS, scoreOptionsFrom } from '../scoreOptionArgs.js';
import { watchRuns } from '../watch/watcher.js';

const NAME = 'watch';

const USAGE = `Usage: mtl-fd watch <run dir | dir of runs>... [--out <report dir>] [--tensorboard <logdir>] [options]

Follows run directories while they train (they need not exist yet). Each new capture
is scored as it lands (a capture still being written is waited for); then each run's
metrics.json, the report (--out) and the TensorBoard event files (--tensorboard
<logdir>/<run>/, scalars as they come, the findings text at the end) are brought up to
date, and new findings are printed on stdout. Stops on Ctrl-C, or when every run's
run.json has finishedAt (written when training ends), after a last look that leaves
everything complete. A capture still unreadable then gets one warning and is left out.

Options:
  --out <dir>              keep an HTML report there (as mtl-fd plot writes it)
  --tensorboard <logdir>   keep TensorBoard event files there (as mtl-fd tensorboard)
  --interval <seconds>     time between looks (default 2)
  --workers <n>            worker threads when several captures are new (default 2)
  --saliency, --granularity, --temperature, --nonfinite   score options (see mtl-fd score --help)
`;

export const watchCommand: Command = {
  name: NAME,
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      ...SCORE_OPTION_FLAGS,
      out: { type: 'string' },
      tensorboard: { type: 'string' },
      interval: { type: 'string' },
      workers: { type: 'string' },
    });
    const options = scoreOptionsFrom(values);
    if (positionals.length === 0) throw new UsageError('give at least one run directory (see mtl-fd watch --help)');
    const interval = numberOption('interval', values.interval as string | undefined, 2, 0.01);
    const workers = numberOption('workers', values.workers as string | undefined, 2, 0);
    if (!Number.isInteger(workers)) throw new UsageError(`--workers must be a whole number (got '${String(values.workers)}')`);
    const str = (k: string) => (typeof values[k] === 'string' ? resolve(io.cwd, values[k] as string) : undefined);

    let stop = false;
    let wake: (() => void) | undefined;
    const onSigint = () => {
      stop = true;
      wake?.();
    };
    process.on('SIGINT', onSigint);
    try {
      const summary = await watchRuns(
        {
          paths: positionals.map((p) => resolve(io.cwd, p)),
          options,
          out: str('out'),
          logdir: str('tensorboard'),
          interval,
          workers,
          stopRequested: () => stop,
          sleep: (ms) =>
            new Promise<void>((done) => {
              const timer = setTimeout(done, ms);
              wake = () => {
                clearTimeout(timer);
                done();
              };
            }),
        },
        io,
        NAME,
      );
      io.stderr(
        `mtl-fd ${NAME}: stopped (${summary.reason === 'finished' ? 'every run finished' : 'interrupted'}): ${summary.captures} capture(s), ${summary.scored} scoring(s) by this watch\n`,
      );
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
    return 0;
  },
};
