import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Every TypeScript code cell of every notebook, in order, as one ES module: type-checked
// with the installed typescript, transpiled with its transpileModule, and run with node
// from the notebook's directory (as tslab runs it). Packages are imported by their
// names and resolve through the workspace's node_modules to the BUILT dist (`npm test`
// builds first).
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
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mtl-fd-notebooks-'));
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
    expect(c.metadata.language).toBe('python');
    expect(c.metadata.vscode?.languageId).toBe('python');
    expect(c.metadata.tags).toContain('python');
    expect(text(c)).toMatch(/safetensors/);
    expect(text(c)).toMatch(/autograd\.grad/);
    const note = nb.cells[i - 1]!;
    expect(note.cell_type).toBe('markdown');
    expect(text(note)).toMatch(/Python/);
    // the cell's definitions are those of the script that wrote the PyTorch fixture
    const script = readFileSync(join(root, 'fixtures', 'pytorch', 'write_capture.py'), 'utf8');
    const definitions = script.slice(script.indexOf('import json'), script.indexOf('def main():')).trimEnd();
    expect(definitions.length).toBeGreaterThan(500);
    expect(text(c)).toContain(definitions);
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

  for (const name of names) {
    it(`${name}: every TypeScript cell runs, in order`, async () => {
      const source = readFileSync(join(tmp, name.replace(/\.ipynb$/, '.mts')), 'utf8');
      const js = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
        fileName: name.replace(/\.ipynb$/, '.mts'),
      }).outputText;
      const file = join(tmp, name.replace(/\.ipynb$/, '.mjs'));
      await writeFile(file, js);
      const r = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
        execFile(process.execPath, [file], { cwd: dir, maxBuffer: 16 << 20, timeout: 90_000, env: { ...process.env, TMPDIR: tmp } }, (err, stdout, stderr) => {
          done({ code: err ? Number((err as { code?: unknown }).code ?? 1) || 1 : 0, stdout, stderr });
        });
      });
      expect(r.code, `${name} failed:\n${r.stderr}\n${r.stdout}`).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
    }, 120_000);
  }
});
