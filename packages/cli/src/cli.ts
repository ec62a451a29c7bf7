import { commands } from './commands/index.js';
import type { CliIO } from './io.js';
import { VERSION } from './version.js';

function globalHelp(): string {
  const width = commands.map((c) => c.name.length).reduce((acc, v) => Math.max(acc, v), -Infinity);
  return [
    `mtl-fd ${VERSION}: Feature Disentanglement diagnostics for multi-task learning`,
    '',
    'Usage: mtl-fd <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  --help       show this help, or a command\'s help after its name',
    '  --version    print the version',
    '',
  ].join('\n');
}

/**
 * Runs one command line and returns its exit code. User errors become one line on
 * stderr with exit code 2 (no stack trace); anything else is reported as an
 * internal error (stack only with MTL_FD_DEBUG=1).
 */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(globalHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.stderr(`mtl-fd: unknown command '${name}' (see mtl-fd --help)\n`);
    return 2;
  }
  try {
    const command = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
      return 0;
    }
    return await command.run(rest, io);
  } catch (err) {
    // loaded here, not at start-up: --version and --help import no package at all
    const { UserError, displayLines } = await import('@mtl-fd/capture');
    if (err instanceof UserError) {
      // a message may quote a run name: its control characters are shown escaped
      io.stderr(`mtl-fd ${name}: ${displayLines(err.message)}\n`);
      return err.exitCode;
    }
    const e = err as Error;
    io.stderr(`mtl-fd ${name}: internal error: ${displayLines(e?.message ?? String(err))}\n`);
    if (process.env.MTL_FD_DEBUG) io.stderr(`${e?.stack ?? ''}\n`);
    return 70;
  }
}
