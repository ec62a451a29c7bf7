/** Where a command writes; tests pass buffers, the binary passes the process streams. */
export interface CliIO {
  stdout: (text: string) => void;
  /** binary output (Arrow IPC) to stdout; absent where only text can go */
  stdoutBytes?: (data: Uint8Array) => void;
  stderr: (text: string) => void;
  /** true when stderr is a terminal (progress bars redraw in place only then) */
  isTTY: boolean;
  cwd: string;
}

export const processIO: CliIO = {
  stdout: (text) => void process.stdout.write(text),
  stdoutBytes: (data) => void process.stdout.write(data),
  stderr: (text) => void process.stderr.write(text),
  isTTY: Boolean(process.stderr.isTTY),
  cwd: process.cwd(),
};
