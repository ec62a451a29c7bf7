import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// No call spreads an array into arguments (`rows.push(...more)`, `Math.max(...values)`):
// each element becomes a stack slot, and an array of data size (a 500-task capture's
// rows, a run of 20k captures) ends in "Maximum call stack size exceeded". Loops and
// reduce do the same work in constant stack. Object and array literals may spread.
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** The text with comments, strings and template literals blanked (same length, lines kept). */
function codeOnly(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g, (m) => m.replace(/[^\n]/g, ' '));
}

const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'function', 'return', 'typeof', 'await']);

/** 1-based lines where `...` stands among the arguments of a call. */
function spreadArgumentLines(text: string): number[] {
  const code = codeOnly(text);
  const stack: { call: boolean; at: number }[] = [];
  const found = new Map<number, number>(); // index of the `...` -> index of its '('
  for (let i = 0; i < code.length; i++) {
    const ch = code[i]!;
    if (ch === '(') {
      const before = code.slice(Math.max(0, i - 40), i);
      const word = /([\w$\])]+)\s*$/.exec(before)?.[1] ?? '';
      const declaration = /\bfunction\s*[\w$]*\s*$/.test(before);
      stack.push({ call: word !== '' && !KEYWORDS.has(word) && !declaration, at: i });
    } else if (ch === '[' || ch === '{') stack.push({ call: false, at: i });
    else if (ch === ')' || ch === ']' || ch === '}') {
      const open = stack.pop();
      // `name(...args) {` or `name(...args): T {` declares rest parameters, it does not call
      if (open?.call && /^\s*(?::[^={;]*)?(=>|\{)/.test(code.slice(i + 1, i + 80))) {
        for (const [at, paren] of found) if (paren === open.at) found.delete(at);
      }
    } else if (code.startsWith('...', i) && stack.at(-1)?.call) {
      found.set(i, stack.at(-1)!.at);
      i += 2;
    }
  }
  return [...new Set([...found.keys()].map((at) => lineOf(code, at)))];
}

function lineOf(text: string, index: number): number {
  let n = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

describe('no spread arguments', () => {
  it('finds them in calls and not in literals or rest parameters (the checker itself)', () => {
    expect(spreadArgumentLines('a.push(...b);\nMath.max(1, ...c);\nf(g(...h));')).toEqual([1, 2, 3]);
    expect(spreadArgumentLines('const x = [...a, ...b];\nconst o = { ...p };\nf([...a]);\nf({ ...o });')).toEqual([]);
    expect(spreadArgumentLines('function f(...args: number[]) {}\nconst g = (...a: T[]) => a;\nclass C { m(...xs: X) { return xs; } }')).toEqual([]);
    expect(spreadArgumentLines('// a.push(...b)\nconst s = "f(...x)";')).toEqual([]);
  });

  it('no package source spreads an array into a call', () => {
    const problems: string[] = [];
    for (const pkg of readdirSync(join(ROOT, 'packages'))) {
      const src = join(ROOT, 'packages', pkg, 'src');
      if (!statSync(src, { throwIfNoEntry: false })?.isDirectory()) continue;
      for (const file of sources(src)) {
        const text = readFileSync(file, 'utf8');
        for (const line of spreadArgumentLines(text)) problems.push(`${relative(ROOT, file)}:${line}: ${text.split('\n')[line - 1]!.trim()}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
