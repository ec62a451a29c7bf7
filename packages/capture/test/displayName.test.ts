import { describe, expect, it } from 'vitest';
import { displayLines, displayName } from '../src/displayName.js';

describe('displayName', () => {
  it('leaves ordinary names alone, non-ASCII letters and emoji included', () => {
    for (const name of ['seg', 'run-01.b', 'größe', '深度', 'ok 👍', 'a "quoted" <b>', 'back\\slash']) expect(displayName(name)).toBe(name);
  });

  it('escapes controls, DEL, C1, line/paragraph separators, bidi overrides and lone surrogates visibly', () => {
    expect(displayName('a\u2028b\u2029c')).toBe('a\\u2028b\\u2029c');
    expect(displayName('x\u0001y\u001b[31mRED\u007f')).toBe('x\\x01y\\x1b[31mRED\\x7f');
    expect(displayName('tab\there\nnl\r')).toBe('tab\\x09here\\x0anl\\x0d');
    expect(displayName('\u0085\u009b')).toBe('\\x85\\x9b');
    expect(displayName('abc\u202egnp.exe')).toBe('abc\\u202egnp.exe');
    expect(displayName('lone\ud800 and \udc00')).toBe('lone\\ud800 and \\udc00');
    expect(displayName('\ufffe\uffff')).toBe('\\ufffe\\uffff');
  });

  it('gives text with no character that breaks XML 1.0, a JS string or a terminal', () => {
    const all = Array.from({ length: 0x3000 }, (_, i) => String.fromCharCode(i)).join('');
    const shown = displayName(all);
    expect(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(shown)).toBe(false);
    expect(() => new Function(`return "${shown.replace(/[\\"]/g, '\\$&')}"`)).not.toThrow();
  });

  it('displayLines keeps the line breaks of a multi-line text', () => {
    expect(displayLines('run a\u001b[2J\nrun b\n')).toBe('run a\\x1b[2J\nrun b\n');
  });
});
