import { describe, expect, it } from 'vitest';
import { ProgressBoard } from '../src/demo/progress.js';
import { bufferIO } from '../../../test/support/bufferIO.js';

/** What a terminal shows after the codes the board writes (\r, \n, cursor up, erase to end of line). */
function screen(output: string): string[] {
  const lines: string[] = [''];
  let row = 0;
  let col = 0;
  for (let i = 0; i < output.length; i++) {
    const up = /^\x1b\[(\d+)A/.exec(output.slice(i));
    if (up) {
      row = Math.max(0, row - Number(up[1]));
      i += up[0].length - 1;
    } else if (output.startsWith('\x1b[K', i)) {
      lines[row] = lines[row]!.slice(0, col);
      i += 2;
    } else if (output[i] === '\r') {
      col = 0;
    } else if (output[i] === '\n') {
      row++;
      col = 0;
      lines[row] ??= '';
    } else {
      const line = lines[row]!.padEnd(col);
      lines[row] = line.slice(0, col) + output[i] + line.slice(col + 1);
      col++;
    }
  }
  return lines.filter((l) => l !== '');
}

describe('ProgressBoard', () => {
  it('on a terminal: finished runs become permanent lines above the live bars, with no stale rows', () => {
    const io = bufferIO();
    io.isTTY = true;
    const board = new ProgressBoard(io);
    const a = board.bar('ew', '[1/2]', 2, 5);
    const b = board.bar('pcgrad', '[2/2]', 2, 5);
    a.step(1);
    b.epoch(1, 0.5);
    expect(screen(io.err).map((l) => l.slice(0, 12))).toEqual(['[1/2] ew    ', '[2/2] pcgrad']);
    a.finish('');
    let shown = screen(io.err);
    expect(shown).toHaveLength(2);
    expect(shown[0]).toMatch(/^\[1\/2\] ew +done in/);
    expect(shown[1]).toMatch(/^\[2\/2\] pcgrad +\[/);
    b.finish(' (best)');
    shown = screen(io.err);
    expect(shown).toHaveLength(2);
    expect(shown[1]).toMatch(/^\[2\/2\] pcgrad +done in .* \(best\)$/);
  });

  it('elsewhere: plain lines, one per epoch and one per finished run', () => {
    const io = bufferIO();
    const board = new ProgressBoard(io);
    const a = board.bar('ew', '[1/1]', 2, 5);
    a.step(1);
    a.epoch(1, 0.25);
    a.finish('');
    const lines = io.err.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[1\/1\] ew +epoch 1\/2 +loss 0\.2500/);
    expect(lines[1]).toMatch(/^\[1\/1\] ew +done in/);
    expect(io.err).not.toContain('\x1b');
  });
});
