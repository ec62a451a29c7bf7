import { rm } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { createAtomicFile, displayLines, displayName, parseTempFileName, type AtomicFile } from '@mtl-fd/capture';
import type { CliIO } from './io.js';
import { UsageError } from './args.js';

/** One output file and its text. */
export interface OutputFile {
  path: string;
  text: string | Uint8Array;
}

/**
 * Writes several files all-or-nothing as far as the file system allows: each goes
 * to a temporary file first, and only when all are written are they renamed into
 * place. On any failure every temporary file is removed and existing files are
 * left as they were. Returns the leftovers of killed earlier writes it removed first.
 */
export async function writeOutputs(files: readonly OutputFile[]): Promise<string[]> {
  const removed: string[] = [];
  for (const f of files) for (const path of await removeLeftoversOf(f.path)) removed.push(path);
  const open: AtomicFile[] = [];
  try {
    for (const f of files) {
      const a = await createAtomicFile(f.path);
      open.push(a);
      await a.handle.writeFile(f.text);
    }
    for (const a of open) await a.commit();
  } catch (err) {
    for (const a of open) await a.abort().catch(() => undefined);
    throw err;
  }
  return removed;
}

/**
 * Removes the temporary files an earlier, killed write of `path` left beside it
 * (`.<name>.<pid>-<hex>.tmp` whose pid is gone): a SIGKILL cannot be caught, so the
 * next write of the same output clears what the last one could not. Returns their paths.
 */
async function removeLeftoversOf(path: string): Promise<string[]> {
  const name = basename(path);
  const removed: string[] = [];
  // loaded here: rank and merge need the sweep package only when they write a file
  const { findLeftovers } = await import('@mtl-fd/sweep');
  for (const l of await findLeftovers(dirname(path)).catch(() => [])) {
    if (l.writing || parseTempFileName(basename(l.path))?.target !== name) continue;
    await rm(l.path, { force: true });
    removed.push(l.path);
  }
  return removed;
}

/**
 * The text to stdout, or to `out` (atomically) with its companions; leftovers of a
 * killed earlier write go first. On a terminal, control characters of the text (a run
 * name's ANSI escapes, say) are shown escaped; piped or to a file it is exact.
 */
export async function emit(io: CliIO, text: string | Uint8Array, out: string | undefined, companions: readonly OutputFile[] = []): Promise<void> {
  if (out === undefined) {
    if (typeof text === 'string') io.stdout(io.stdoutIsTTY ? displayLines(text) : text);
    else if (io.stdoutBytes) io.stdoutBytes(text);
    else throw new UsageError('binary output needs --out here');
  }
  else {
    for (const path of await writeOutputs([{ path: out, text }, ...companions])) {
      io.stderr(`mtl-fd: removed ${displayName(path)}, left by an interrupted write of the same output\n`);
    }
  }
}

/** A warning on stderr, `mtl-fd <command>: warning: <text>`, control characters shown escaped. */
export function warn(io: CliIO, command: string, text: string): void {
  io.stderr(`mtl-fd ${command}: warning: ${displayName(text)}\n`);
}
