/**
 * Reports capture failures without stopping training: each *distinct* error is
 * logged once (the same error at every later step would flood the log), every
 * failure is counted, and later captures keep being attempted, so a transient
 * problem (a full disk that gets cleaned) heals by itself.
 */
export class FailureLog {
  private readonly seen = new Set<string>();
  count = 0;
  last: unknown;

  constructor(private readonly log: (message: string) => void) {}

  report(err: unknown, what: string): void {
    this.count++;
    this.last = err;
    const key = errorKey(err);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const message = err instanceof Error ? err.message : String(err);
    this.log(`mtl-fd: ${what} failed; training goes on and later captures are still attempted (each distinct error is reported once): ${message}`);
  }
}

/**
 * What makes two errors "the same": the system error code when there is one (EACCES,
 * ENOSPC, ...), else the message with numbers blanked (steps and file names vary).
 */
export function errorKey(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown; message?: unknown } | null;
  if (e !== null && typeof e === 'object' && typeof e.code === 'string') return `code:${e.code}`;
  const name = e !== null && typeof e === 'object' && typeof e.name === 'string' ? e.name : 'Error';
  const message = e !== null && typeof e === 'object' && typeof e.message === 'string' ? e.message : String(err);
  return `${name}:${message.replace(/[0-9]+/g, '#')}`;
}
