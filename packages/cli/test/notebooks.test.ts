import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCaptures } from '@mtl-fd/capture';
import { scoreCaptures } from '@mtl-fd/metrics';
import { type Requirement, skipUnless } from '../../../test/support/requirements.js';
import { executeNotebook, installTslab, type TslabKernel } from './notebookKernel.js';

// Every notebook runs under the real tslab kernel (jupyter nbconvert --execute, see
// notebookKernel.ts) and prints the values asserted below. Its TypeScript cells, in order
// as one ES module, are also type-checked strictly. Packages are imported by their names
// and resolve through the workspace's node_modules to the BUILT dist (`npm test` builds
// first).
const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const dir = join(root, 'notebooks');

interface Cell {
  cell_type: 'code' | 'markdown' | 'raw';
  metadata: { language?: string; vscode?: { languageId?: string }; tags?: string[] };
  source: string | string[];
}
interface Notebook {
  cells: Cell[];
  metadata: { kernelspec?: { name?: string; display_name?: string; language?: string }; language_info?: { name?: string } };
  nbformat: number;
}

const text = (c: Cell) => (Array.isArray(c.source) ? c.source.join('') : c.source);
const isPython = (c: Cell) => c.metadata.language === 'python' || c.metadata.vscode?.languageId === 'python';

const names = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort() : [];
const notebooks = names.map((name) => ({ name, nb: JSON.parse(readFileSync(join(dir, name), 'utf8')) as Notebook }));

function moduleOf(nb: Notebook): string {
  return nb.cells
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => c.cell_type === 'code' && !isPython(c))
    .map(({ c, i }) => `// ---- cell ${i} ----\n${text(c)}\n`)
    .join('\n');
}

let tmp: string;
let kernel: TslabKernel | undefined;
let kernelNeed: Requirement = { ok: false, reason: 'tslab kernel not installed yet' };
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mtl-fd-notebooks-'));
  ({ kernel, need: kernelNeed } = installTslab(root, join(tmp, 'jupyter')));
  await symlink(join(root, 'node_modules'), join(tmp, 'node_modules'), 'dir');
  for (const { name, nb } of notebooks) await writeFile(join(tmp, name.replace(/\.ipynb$/, '.mts')), moduleOf(nb));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('notebooks', () => {
  it('are the three uses, each a tslab TypeScript notebook', () => {
    expect(names).toHaveLength(3);
    for (const { name, nb } of notebooks) {
      expect(nb.nbformat, name).toBe(4);
      expect(nb.metadata.kernelspec, name).toEqual({ name: 'tslab', display_name: 'TypeScript', language: 'typescript' });
      expect(nb.metadata.language_info?.name, name).toBe('typescript');
      expect(nb.cells.filter((c) => c.cell_type === 'code' && !isPython(c)).length, name).toBeGreaterThan(1);
      for (const c of nb.cells) if (c.cell_type === 'code') expect((c as { outputs?: unknown[] }).outputs ?? [], `${name}: outputs are not committed`).toEqual([]);
    }
    const all = notebooks.map(({ nb }) => moduleOf(nb)).join('\n');
    for (const api of ['fdCallback', 'scoreCaptures', 'rankingSimilarity']) expect(all).toContain(api);
  });

  it('mark the Python (PyTorch) cell as such, with a note before it', () => {
    const withPython = notebooks.filter(({ nb }) => nb.cells.some(isPython));
    expect(withPython).toHaveLength(1);
    const { nb } = withPython[0]!;
    const i = nb.cells.findIndex(isPython);
    const c = nb.cells[i]!;
    expect(c.cell_type, 'a raw cell: tslab would run a code cell as TypeScript').toBe('raw');
    expect(c.metadata.language).toBe('python');
    expect(c.metadata.vscode?.languageId).toBe('python');
    expect(c.metadata.tags).toContain('python');
    expect(text(c)).toMatch(/from mtl_fd import CaptureWriter, features_of/);
    const note = nb.cells[i - 1]!;
    expect(note.cell_type).toBe('markdown');
    expect(text(note)).toMatch(/Python/);
    // the cell's code is the adapter's five-line use, as python/README.md gives it
    const readme = readFileSync(join(root, 'python', 'README.md'), 'utf8');
    const five = /<!-- five-line-use:start -->\n```python\n([\s\S]*?)```/.exec(readme)![1]!;
    expect(text(c)).toContain(five.trimEnd());
  });

  it('type-check (strict, as ES modules resolving the workspace packages)', () => {
    const files = names.map((n) => join(tmp, n.replace(/\.ipynb$/, '.mts')));
    const program = ts.createProgram(files, {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2023.d.ts'],
      types: ['node'],
      strict: true,
      skipLibCheck: true,
      noEmit: true,
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file && d.start !== undefined ? `${d.file.fileName.slice(tmp.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(diagnostics).toEqual([]);
  }, 60_000);

  /** Runs one notebook under tslab; resolves to each cell's stdout. */
  async function run(ctx: Parameters<typeof skipUnless>[0], name: string): Promise<string[]> {
    skipUnless(ctx, kernelNeed);
    const t0 = performance.now();
    // TMPDIR: the run directories the notebooks make go under this test's temp dir
    const out = await executeNotebook(kernel!, join(dir, name), join(tmp, 'executed'), { TMPDIR: tmp });
    console.log(`${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s under tslab`);
    return out;
  }

  it('01: model.fit with fdCallback writes 4 captures, scored to FD values in [0, 1]', async (ctx) => {
    const out = await run(ctx, '01-hooks-model-fit.ipynb');
    expect(out[1]).toMatch(/^mtl-fd: TensorFlow\.js backend '(wasm|tensorflow|cpu)'/);
    const losses = /training loss per epoch: (.*)/.exec(out[7]!)![1]!.split(', ').map(Number);
    expect(losses).toHaveLength(3);
    expect(losses[2]).toBeLessThan(losses[0]!);
    expect(out[9]).toContain(['step-00000000', 'step-00000008', 'step-00000016', 'step-00000024'].map((s) => `${s}.safetensors`).join('\n'));
    const fd = /│ fd +│(.*)│\n/.exec(out[9]!)![1]!.split('│').map((v) => Number(v.trim().replace(/'/g, '')));
    expect(fd).toHaveLength(4);
    for (const v of fd) expect(v).toBeGreaterThan(0), expect(v).toBeLessThan(1);
  }, 150_000);

  it('02: scores the NCHW fixture to the values scoreCaptures gives it here', async (ctx) => {
    const out = await run(ctx, '02-score-pytorch-captures.ipynb');
    const fixture = join(root, 'fixtures', 'pytorch', 'pytorch-demo');
    const files = (await listCaptures(fixture)).sort();
    expect(out[4]!.trim().split('\n')).toEqual(files.map((f) => f.slice(fixture.length + 1)));
    expect(out[6]).toMatch(/step 0, tasks seg, depth, layout NCHW/);
    const { rows } = await scoreCaptures(files);
    const expected = rows.filter((r) => r.metric === 'fd' && r.task === '').map((r) => `${r.run}@${r.step}: ${r.value!.toFixed(4)}`);
    expect(expected).toHaveLength(files.length);
    expect(out[8]).toContain(`fd (element)      ${expected.join('  ')}`);
    expect(out[10]!.trim().length).toBeGreaterThan(0);
  }, 150_000);

  it('03: reads the demo fixture, recomputes the stored Ranking Similarity, draws the report', async (ctx) => {
    const out = await run(ctx, '03-report-and-ranking.ipynb');
    const demo = join(root, 'fixtures', 'demo');
    const summary = JSON.parse(readFileSync(join(demo, 'summary.json'), 'utf8')) as { runs: unknown[]; options: { epochs: number; seed: number } };
    expect(out[1]).toContain(`${summary.runs.length} runs, ${summary.options.epochs} epochs`);
    const ranking = JSON.parse(readFileSync(join(demo, 'ranking.json'), 'utf8')) as { identifier: string; results: { perf_metric: string; tau_b: number; n_runs: number }[] }[];
    const stored = ranking.find((r) => r.identifier === 'fd')!.results.find((r) => r.perf_metric === 'left_acc')!;
    expect(out[7]).toContain(`fd vs left_acc over ${stored.n_runs} runs: tau-b ${stored.tau_b.toFixed(3)}`);
    expect(out[11]!.split('\n')).toContain('ranking-similarity.png');
    expect(out[11]).toMatch(/charts: fd-trajectory, /);
  }, 150_000);
});
