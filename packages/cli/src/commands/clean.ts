import { resolve } from 'node:path';
import { cleanRun, runDirsIn, type CleanReport } from '@mtl-fd/sweep';
import type { Command } from '../command.js';
import { parseCommandArgs, UsageError } from '../args.js';

const USAGE = `Usage: mtl-fd clean <run dir>... [--dry-run] [--cache-dir DIR] [--force-unlock]

Removes what interrupted jobs leave in run directories:
  - temporary files of atomic writes (.<name>.<pid>-<hex>.tmp) whose process is gone
  - stale entries of the score cache (.mtl-fd-cache/): damaged ones, ones of another
    mtl-fd metrics version, ones of captures no longer in the run
  - a lock (.mtl-fd.lock) whose training is no longer running
Only files provably mtl-fd's are removed: a cache entry must carry an entry's name
(64 hex digits .json) and an entry's content; every other file there is kept and
listed ("kept ..."), and a symbolically linked cache directory is not followed.
A run whose lock a running training holds is skipped (exit code 1); writes still in
progress are kept. A directory of run directories cleans each of them.

Options:
  --dry-run          list what would be removed, remove nothing
  --cache-dir DIR    also clean this shared score cache (the one given to score --cache-dir):
                     its leftovers, damaged entries and entries of other versions
  --force-unlock     also remove a lock that cannot be checked from here: one taken on
                     another host, or by a process whose start time was not recorded (its
                     pid may belong to another process now). Only when that training has
                     ended; a lock whose owner provably runs is never removed
`;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export const cleanCommand: Command = {
  name: 'clean',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      'dry-run': { type: 'boolean' },
      'cache-dir': { type: 'string' },
      'force-unlock': { type: 'boolean' },
    });
    if (positionals.length === 0) throw new UsageError('clean: give at least one run directory (see mtl-fd clean --help)');
    const dryRun = values['dry-run'] === true;
    const cacheDir = typeof values['cache-dir'] === 'string' ? resolve(io.cwd, values['cache-dir']) : undefined;

    const runs: string[] = [];
    for (const p of positionals) for (const run of await runDirsIn(resolve(io.cwd, p))) if (!runs.includes(run)) runs.push(run);

    const reports: CleanReport[] = [];
    for (const [i, run] of runs.entries()) {
      // a shared cache is cleaned once, with the first run
      reports.push(await cleanRun(run, { dryRun, forceUnlock: values['force-unlock'] === true, ...(cacheDir && i === 0 ? { cacheDir } : {}) }));
    }
    const verb = dryRun ? 'would remove' : 'removed';
    let files = 0;
    let total = 0;
    for (const r of reports) {
      if (r.skipped) io.stderr(`mtl-fd clean: skipped ${r.runDir}: ${r.skipped}\n`);
      for (const item of r.removed) {
        io.stdout(`${verb} ${item.path} (${item.reason})\n`);
        files++;
        total += item.bytes;
      }
      for (const item of r.kept) io.stdout(`kept ${item.path} (${item.reason})\n`);
    }
    const skipped = reports.filter((r) => r.skipped).length;
    io.stdout(
      `clean: ${verb} ${plural(files, 'file')} (${bytes(total)}) in ${plural(runs.length - skipped, 'run')}` +
        `${skipped ? `; skipped ${skipped} locked` : ''}\n`,
    );
    return skipped ? 1 : 0;
  },
};
