import type { CliIO } from './io.js';

/**
 * One `mtl-fd <name>` subcommand, each in its own file under commands/ (its one-line
 * summary is in the command table, commands/index.ts, so the global help loads no command).
 */
export interface Command {
  name: string;
  /** full usage text for `mtl-fd <name> --help` */
  usage: string;
  /** returns the exit code; throws UserError for bad input */
  run(argv: string[], io: CliIO): Promise<number>;
}
