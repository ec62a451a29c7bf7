import { UserError } from './errors.js';

/**
 * A capture (or run directory) that cannot be read or written as `mtl-fd/capture@1`.
 * The message is one line, `${file}: ${problem}`, and the CLI exits with code 2.
 */
export class CaptureError extends UserError {
  readonly file: string;
  readonly problem: string;

  constructor(file: string, problem: string) {
    // values quoted from a file may carry line breaks; the CLI prints exactly one line
    const oneLine = problem.replace(/\s*[\r\n]+\s*/g, ' ');
    super(`${file}: ${oneLine}`, 2);
    this.name = 'CaptureError';
    this.file = file;
    this.problem = oneLine;
  }
}

/**
 * A value taken from a file, made safe for a one-line message: strings are quoted
 * (escapes included) and cut short; anything else is named by its JSON kind, never
 * dumped (a hostile header can hold megabytes of nesting).
 */
export function quote(value: unknown, max = 60): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > max ? `${value.slice(0, max)}...` : value);
  }
  return jsonKind(value);
}

/** "an array", "null", "a number (12)": what a JSON value is, in words. */
export function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return `a number (${value})`;
    case 'boolean':
      return `a boolean (${value})`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}
