import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { bufferIO } from '../../../test/support/bufferIO.js';


describe('mtl-fd global options', () => {
  it('prints help listing every command', async () => {
    const io = bufferIO();
    expect(await runCli(['--help'], io)).toBe(0);
    for (const name of ['score', 'rank', 'plot', 'diagnose', 'demo', 'clean', 'tensorboard', 'watch']) expect(io.out).toContain(name);
  });
  it('prints the package version', async () => {
    const io = bufferIO();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(io.out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
  it('rejects an unknown command with exit 2 and one line', async () => {
    const io = bufferIO();
    expect(await runCli(['frobnicate'], io)).toBe(2);
    expect(io.err.trim().split('\n')).toHaveLength(1);
    expect(io.err).toContain('frobnicate');
  });
});
