/** Where a command writes; tests pass buffers, the binary passes the process streams. */
export interface CliIO {
  stdout: (text: string) => void;
  /** binary output (Arrow IPC) to stdout; absent where only text can go */
  stdoutBytes?: (data: Uint8Array) => void;
  stderr: (text: string) => void;
  /** true when stderr is a terminal (progress bars redraw in place only then) */
  isTTY: boolean;
  /** true when stdout is a terminal: text printed there shows control characters escaped */
  stdoutIsTTY?: boolean;
  cwd: string;
  /** the whole of standard input as text (`--from -`); absent where there is none */
  readStdin?: () => Promise<string>;
  /** the environment (job-array variables for `--shard auto`); default process.env */
  env?: Readonly<Record<string, string | undefined>>;
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

export const processIO: CliIO = {
  stdout: (text) => void process.stdout.write(text),
  stdoutBytes: (data) => void process.stdout.write(data),
  stderr: (text) => void process.stderr.write(text),
  isTTY: Boolean(process.stderr.isTTY),
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  cwd: process.cwd(),
  readStdin: readProcessStdin,
  env: process.env,
};
