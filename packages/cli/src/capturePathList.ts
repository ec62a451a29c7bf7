import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliIO } from './io.js';
import { UsageError } from './args.js';

/**
 * The capture paths of `--from`: `-` is standard input, anything else a file; one
 * path a line (blank lines and trailing `\r` ignored), relative to the working directory.
 */
export async function capturePathList(from: string, io: CliIO): Promise<string[]> {
  let text: string;
  if (from === '-') {
    if (!io.readStdin) throw new UsageError('--from -: there is no standard input here');
    text = await io.readStdin();
  } else {
    text = await readFile(resolve(io.cwd, from), 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new UsageError(`--from ${from}: cannot be read (${err.code ?? err.message})`);
    });
  }
  return text
    .split('\n')
    .map((l) => l.replace(/\r$/, '').trim())
    .filter((l) => l !== '')
    .map((l) => resolve(io.cwd, l));
}
