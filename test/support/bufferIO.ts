import type { CliIO } from '@mtl-fd/cli';

/** A CliIO that keeps what a command writes, for in-process CLI tests. */
export function bufferIO(cwd = process.cwd()): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    isTTY: false,
    cwd,
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
  };
  return io;
}
