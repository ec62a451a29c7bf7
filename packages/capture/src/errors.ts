/**
 * An error the user can act on (bad input file, bad option, missing path). The CLI
 * prints its message as one line with no stack trace and exits with `exitCode`.
 * Anything that is not a UserError is a bug in mtl-fd.
 */
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}
