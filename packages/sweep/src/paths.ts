import { createHash } from 'node:crypto';

const SAFE = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}$/;

/**
 * A file-name segment for an arbitrary name (a run's `run` metadata, a task name):
 * the name itself when it is plainly safe (letters, digits, `_`, `-`, `.`, not
 * starting with a dot, at most 100 characters), else the name with every other
 * character replaced by `_`, a leading dot replaced, cut short, and a short hash of
 * the original appended so distinct names stay distinct. Never empty, never `.` or
 * `..`, never holds a separator: joining it to a directory cannot leave the directory.
 */
export function safePathSegment(name: string): string {
  if (SAFE.test(name)) return name;
  const cleaned = name.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\./, '_').slice(0, 80);
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 10);
  return `${cleaned || '_'}-${hash}`;
}
