import { createAtomicFile, displayLines, displayName, type AtomicFile } from '@mtl-fd/capture';
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
 * left as they were.
 */
export async function writeOutputs(files: readonly OutputFile[]): Promise<void> {
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
}

/**
 * The text to stdout, or to `out` (atomically) with its companions. On a terminal,
 * control characters of the text (a run name's ANSI escapes, say) are shown escaped;
 * piped or to a file it is exact.
 */
export async function emit(io: CliIO, text: string | Uint8Array, out: string | undefined, companions: readonly OutputFile[] = []): Promise<void> {
  if (out === undefined) {
    if (typeof text === 'string') io.stdout(io.stdoutIsTTY ? displayLines(text) : text);
    else if (io.stdoutBytes) io.stdoutBytes(text);
    else throw new UsageError('binary output needs --out here');
  }
  else await writeOutputs([{ path: out, text }, ...companions]);
}

/** A warning on stderr, `mtl-fd <command>: warning: <text>`, control characters shown escaped. */
export function warn(io: CliIO, command: string, text: string): void {
  io.stderr(`mtl-fd ${command}: warning: ${displayName(text)}\n`);
}
