import type { CliIO } from './io.js';

/** One `mtl-fd <name>` subcommand, each in its own file under commands/. */
export interface Command {
  name: string;
  /** one line for the global --help */
  summary: string;
  /** full usage text for `mtl-fd <name> --help` */
  usage: string;
  /** returns the exit code; throws UserError for bad input */
  run(argv: string[], io: CliIO): Promise<number>;
}
