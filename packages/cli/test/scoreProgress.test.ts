import { describe, expect, it } from 'vitest';
import { createProgress } from '../src/progress.js';
import { bufferIO } from './scoreHelpers.js';

describe('score progress on stderr', () => {
  it('is silent for a few items', () => {
    const io = bufferIO();
    const p = createProgress(io, 'score', 'scored', 3, { delayMs: 0 });
    for (let i = 1; i <= 3; i++) p.update(i, `c${i}`);
    p.finish();
    expect(io.err).toBe('');
  });

  it('off a terminal prints a line per tenth, only once the delay has passed', () => {
    let t = 0;
    const io = bufferIO();
    const p = createProgress(io, 'score', 'scored', 20, { delayMs: 1000, now: () => t });
    for (let i = 1; i <= 20; i++) {
      t = i * 100; // the delay passes at item 10
      p.update(i, `c${i}`);
    }
    p.finish();
    const lines = io.err.trimEnd().split('\n');
    expect(lines[0]).toBe('mtl-fd score: scored 10/20 (c10)');
    expect(lines).toHaveLength(6); // 10, 12, 14, 16, 18, 20 of 20
    expect(lines.at(-1)).toBe('mtl-fd score: scored 20/20 (c20)');
  });

  it('on a terminal redraws in place and clears itself at the end', () => {
    const io = { ...bufferIO(), isTTY: true };
    const out = { err: '' };
    io.stderr = (t: string) => void (out.err += t);
    const p = createProgress(io, 'score', 'scored', 5);
    p.update(1);
    p.update(2, 'x');
    p.finish();
    expect(out.err).toBe('\r\x1b[Kmtl-fd score: scored 1/5\r\x1b[Kmtl-fd score: scored 2/5 (x)\r\x1b[K');
    expect(out.err).not.toContain('\n');
  });
});
