import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MTL_FD_BIN } from '../cliProcess.js';

// The command table loads a command's code only when it runs: checked by tracing every
// module the BUILT command imports (a module-resolve hook registered with --import that
// appends each resolved URL to a file), not by timing it.
const CAPTURE = fileURLToPath(new URL('../../../../fixtures/demo/runs/ew/captures/step-00000000.safetensors', import.meta.url));
/** What start-up must not pay for: tfjs, the charts, arquero, the demo, and the packages that bring them. */
const HEAVY = /\/node_modules\/(@tensorflow\/|vega|@resvg\/|arquero\/)|\/packages\/(hooks|plots)\/|\/packages\/cli\/dist\/demo\//;

let dir: string;
let capture: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mtl-fd-imports-'));
  writeFileSync(
    join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
let file;
export function initialize(data) { file = data.file; }
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(file, r.url + '\\n');
  return r;
}
`,
  );
  writeFileSync(
    join(dir, 'register.mjs'),
    `import { register } from 'node:module';
register(new URL('./hooks.mjs', import.meta.url), { data: { file: process.env.MTL_FD_IMPORT_TRACE } });
`,
  );
  mkdirSync(join(dir, 'run', 'captures'), { recursive: true });
  capture = join(dir, 'run', 'captures', 'step-00000000.safetensors');
  copyFileSync(CAPTURE, capture);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the built CLI and returns the URLs of every module it imported. */
function importsOf(args: string[]): string[] {
  const trace = join(dir, `trace-${args.join('_').replace(/[^a-z-]/gi, '')}.txt`);
  writeFileSync(trace, '');
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, MTL_FD_BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, MTL_FD_IMPORT_TRACE: trace },
  });
  expect(r.status, r.stderr).toBe(0);
  return [...new Set(readFileSync(trace, 'utf8').split('\n').filter(Boolean))];
}

const commandModules = (urls: string[]) => urls.filter((u) => /\/packages\/cli\/dist\/commands\//.test(u)).map((u) => u.replace(/.*\/commands\//, ''));

describe('lazy command loading', () => {
  it('--version imports no command and no package', () => {
    const urls = importsOf(['--version']);
    expect(urls.filter((u) => HEAVY.test(u))).toEqual([]);
    expect(commandModules(urls)).toEqual(['index.js']);
    expect(urls.filter((u) => /\/packages\/(?!cli\/)|\/node_modules\//.test(u))).toEqual([]);
  });

  it('--help lists every command without loading one', () => {
    const urls = importsOf(['--help']);
    expect(urls.filter((u) => HEAVY.test(u))).toEqual([]);
    expect(commandModules(urls)).toEqual(['index.js']);
  });

  it('score of a capture loads its own code, and no tfjs, charts, arquero or demo', () => {
    const urls = importsOf(['score', '--no-cache', '--workers', '0', capture]);
    // the tracer sees package imports: the sweep package scored it
    expect(urls.some((u) => /\/packages\/sweep\/dist\/index\.js$/.test(u))).toBe(true);
    expect(commandModules(urls)).toContain('score.js');
    expect(commandModules(urls)).not.toContain('demo.js');
    expect(urls.filter((u) => HEAVY.test(u))).toEqual([]);
  });

  it('the tracer catches tfjs when a command does load it (demo --help)', () => {
    const urls = importsOf(['demo', '--help']);
    expect(urls.some((u) => /\/node_modules\/@tensorflow\/tfjs\//.test(u))).toBe(true);
    expect(commandModules(urls)).toContain('demo.js');
    expect(commandModules(urls)).not.toContain('score.js');
  });
});
