// Writes the "API reference" section of each package README from its src/index.ts:
// every exported name, grouped by the module that defines it, with the first sentence
// of its doc comment. `node scripts/api-reference.mjs` rewrites; `--check` exits 1 when
// a README is out of date (the exports tests check the same thing).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PACKAGES = ['capture', 'metrics', 'sweep', 'diagnose', 'hooks', 'plots', 'cli'];
const START = '<!-- api:start -->';
const END = '<!-- api:end -->';

/** The names each `export { ... } from './x.js'` line of an index names, with their module and kind. */
export function indexExports(pkg) {
  const src = readFileSync(join(root, 'packages', pkg, 'src', 'index.ts'), 'utf8');
  const out = [];
  for (const m of src.matchAll(/^export (type )?\{([^}]*)\} from '([^']+)';/gm)) {
    for (const item of m[2].split(',')) {
      const t = item.trim();
      if (!t) continue;
      const isType = Boolean(m[1]) || t.startsWith('type ');
      const name = t.replace(/^type /, '').split(' as ').pop().trim();
      out.push({ name, isType, module: m[3] });
    }
  }
  return out;
}

function firstSentence(moduleText, name) {
  const decl = new RegExp(`((?:/\\*\\*(?:(?!\\*/)[\\s\\S])*\\*/\\s*)?)export (?:declare )?(?:async )?(?:abstract )?(?:function\\*?|const|let|class|interface|type|enum) ${name}\\b`);
  const m = decl.exec(moduleText);
  if (!m || !m[1]) return '';
  const text = m[1].replace(/^\/\*\*|\*\/\s*$/g, '').split('\n').map((l) => l.replace(/^\s*\* ?/, '')).join(' ').replace(/\s+/g, ' ').trim();
  const cut = text.search(/\.(\s|$)/);
  return (cut >= 0 ? text.slice(0, cut + 1) : text).replace(/\|/g, '\\|');
}

export function apiSection(pkg) {
  const rows = indexExports(pkg);
  const byModule = new Map();
  for (const r of rows) byModule.set(r.module, [...(byModule.get(r.module) ?? []), r]);
  const lines = [START, '## API reference', '', `Everything \`@mtl-fd/${pkg}\` exports (its \`src/index.ts\`), by module; made by \`node scripts/api-reference.mjs\`.`, ''];
  for (const [module, items] of byModule) {
    const file = join(root, 'packages', pkg, 'src', module.replace(/\.js$/, '.ts'));
    const text = readFileSync(file, 'utf8');
    lines.push(`### \`${module.replace(/^\.\//, '').replace(/\.js$/, '')}\``, '', '| name | kind | what it is |', '| --- | --- | --- |');
    for (const it of items) lines.push(`| \`${it.name}\` | ${it.isType ? 'type' : 'value'} | ${firstSentence(text, it.name)} |`);
    lines.push('');
  }
  lines.push(END);
  return lines.join('\n');
}

function withSection(readme, section) {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a >= 0 && b > a) return readme.slice(0, a) + section + readme.slice(b + END.length);
  return `${readme.trimEnd()}\n\n${section}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const pkg of PACKAGES) {
    const file = join(root, 'packages', pkg, 'README.md');
    const old = readFileSync(file, 'utf8');
    const next = withSection(old, apiSection(pkg));
    if (next === old) continue;
    if (check) {
      process.stderr.write(`${file}: API reference out of date (node scripts/api-reference.mjs)\n`);
      stale++;
    } else writeFileSync(file, next);
  }
  process.exit(stale ? 1 : 0);
}
