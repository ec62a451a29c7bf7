import { readFileSync } from 'node:fs';

/**
 * The kernel's start time of a process (field 22 of /proc/<pid>/stat, clock ticks
 * since boot), or null where /proc is unavailable. Together with the pid it names a
 * process uniquely, so a recycled pid is not mistaken for the original owner.
 */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) is in parentheses and may itself contain spaces or ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/**
 * Whether the process `pid` on this host is running. When `startTime` is given (as
 * recorded by processStartTime when the process was alive) and /proc can tell, a
 * process with the same pid but another start time counts as dead (the pid was reused).
 */
export function isProcessAlive(pid: number, startTime?: string | null): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to another user
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (startTime) {
    const now = processStartTime(pid);
    if (now !== null && now !== startTime) return false;
  }
  return true;
}
