// Runs a notebook under the real tslab kernel: `tslab install` registers the kernel in a
// temporary Jupyter prefix (nothing is written to the user's Jupyter directories), and
// Debian's `jupyter nbconvert --execute` (nbclient) runs every cell in the notebook's own
// directory, as a user would. Returns what each code cell printed.
import { execFile, spawnSync } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Requirement } from '../../../test/support/requirements.js';
import { jupyterNbconvert } from '../../../test/support/requirements.js';

export interface TslabKernel {
  /** the environment nbconvert runs with: JUPYTER_PATH at the temporary prefix */
  env: NodeJS.ProcessEnv;
  jupyter: string;
}

/** Registers tslab (from the workspace's node_modules) under `prefix`, or says why it cannot. */
export function installTslab(root: string, prefix: string): { kernel?: TslabKernel; need: Requirement } {
  const jupyter = jupyterNbconvert();
  if (!jupyter.ok) return { need: jupyter };
  const tslab = join(root, 'node_modules', '.bin', 'tslab');
  const r = spawnSync(tslab, ['install', `--python=${process.env.MTL_FD_JUPYTER_PYTHON ?? '/usr/bin/python3'}`, `--binary=${tslab}`, `--prefix=${prefix}`], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) {
    const why = `${r.error?.message ?? ''}${r.stderr}`.trim().split('\n').pop();
    return { need: { ok: false, reason: `tslab install failed (${why}; it needs python3-ipython)` } };
  }
  const env = {
    ...process.env,
    JUPYTER_PATH: join(prefix, 'share', 'jupyter'),
    JUPYTER_RUNTIME_DIR: join(prefix, 'runtime'),
    JUPYTER_CONFIG_DIR: join(prefix, 'config'),
    JUPYTER_DATA_DIR: join(prefix, 'data'),
  };
  return { kernel: { env, jupyter: jupyter.path }, need: jupyter };
}

interface ExecutedCell {
  cell_type: string;
  outputs?: { output_type: string; name?: string; text?: string | string[] }[];
}

/** Executes `notebook` with nbconvert into `outDir`; resolves to the stdout of each cell, by cell index. */
export async function executeNotebook(kernel: TslabKernel, notebook: string, outDir: string, env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const args = ['nbconvert', '--to', 'notebook', '--execute', '--ExecutePreprocessor.kernel_name=tslab', '--ExecutePreprocessor.timeout=90', '--output-dir', outDir, notebook];
  await new Promise<void>((done, fail) => {
    execFile(kernel.jupyter, args, { env: { ...kernel.env, ...env }, maxBuffer: 16 << 20, timeout: 150_000 }, (err, _stdout, stderr) => {
      if (err) fail(new Error(`jupyter nbconvert --execute ${notebook} failed:\n${stderr}`));
      else done();
    });
  });
  const name = notebook.split(/[\\/]/).pop()!;
  const executed = JSON.parse(await readFile(join(outDir, name), 'utf8')) as { cells: ExecutedCell[] };
  return executed.cells.map((c) =>
    (c.outputs ?? [])
      .filter((o) => o.output_type === 'stream' && o.name === 'stdout')
      .map((o) => (Array.isArray(o.text) ? o.text.join('') : (o.text ?? '')))
      .join(''),
  );
}
