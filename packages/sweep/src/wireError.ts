import { CaptureError, UserError } from '@mtl-fd/capture';
import type { WireError } from './pool.js';

/** An exception as plain data, to post from a worker. */
export function toWireError(err: unknown): WireError {
  if (err instanceof CaptureError) {
    return { name: err.name, message: err.message, user: true, exitCode: err.exitCode, file: err.file, problem: err.problem };
  }
  if (err instanceof UserError) return { name: err.name, message: err.message, user: true, exitCode: err.exitCode };
  if (err instanceof Error) return { name: err.name, message: err.message, user: false, stack: err.stack };
  return { name: 'Error', message: String(err), user: false };
}

/** The exception back on the caller's side: a CaptureError stays one, a UserError stays one. */
export function fromWireError(e: WireError): Error {
  if (e.name === 'CaptureError' && e.file !== undefined && e.problem !== undefined) return new CaptureError(e.file, e.problem);
  if (e.user) {
    const err = new UserError(e.message, e.exitCode);
    err.name = e.name;
    return err;
  }
  const err = new Error(e.message);
  err.name = e.name;
  if (e.stack) err.stack = `${e.stack}\n    (in a scoring worker)`;
  return err;
}
