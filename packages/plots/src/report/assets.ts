import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Root directory of an installed package, found from its resolved entry point. */
function packageRoot(name: string): string {
  let dir = dirname(require.resolve(name));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === name) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the package root of ${name}`);
    dir = up;
  }
}

/**
 * The browser (UMD, minified) build of a package, as its package.json `unpkg` field names it,
 * made safe to inline in a <script> element (no source-map comment, no closing script tag).
 */
export function browserBuild(name: 'vega' | 'vega-lite' | 'vega-embed'): string {
  const root = packageRoot(name);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { unpkg?: string; jsdelivr?: string; version: string };
  const file = pkg.unpkg ?? pkg.jsdelivr;
  if (!file) throw new Error(`${name}@${pkg.version} names no browser build (unpkg/jsdelivr)`);
  return readFileSync(join(root, file), 'utf8')
    .replace(/\/\/# sourceMappingURL=\S+\s*$/, '')
    .replace(/<\/script/gi, '<\\/script');
}

/** vega, vega-lite and vega-embed browser builds in load order, with their versions. */
export function inlineLibraries(): { name: string; version: string; code: string }[] {
  return (['vega', 'vega-lite', 'vega-embed'] as const).map((name) => {
    const root = packageRoot(name);
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    return { name, version, code: browserBuild(name) };
  });
}
