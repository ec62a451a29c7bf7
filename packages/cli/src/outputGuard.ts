import { stat } from 'node:fs/promises';
import { UsageError } from './args.js';

/** device:inode of an existing path (links followed), or undefined. */
async function identity(path: string): Promise<string | undefined> {
  const st = await stat(path, { bigint: true }).catch(() => undefined);
  return st ? `${st.dev}:${st.ino}` : undefined;
}

/**
 * Refuses output paths that name one of the inputs: the same path, or another name
 * of the same file (a symbolic or hard link, compared by device and inode). Writing
 * there would replace the input with a table. `flag` names the option in the error.
 */
export async function refuseOutputsOverInputs(outputs: readonly string[], inputs: readonly string[], flag = '--out'): Promise<void> {
  const outs = new Map<string, string>();
  for (const out of outputs) {
    const id = await identity(out);
    if (id !== undefined) outs.set(id, out);
  }
  if (outs.size === 0) return;
  for (const input of inputs) {
    const hit = outs.get((await identity(input)) ?? '');
    if (hit !== undefined) {
      const same = hit === input ? '' : ` (${input})`;
      throw new UsageError(`${flag} ${hit}: is one of the input files${same}; writing there would replace it. Choose another path`);
    }
  }
}
