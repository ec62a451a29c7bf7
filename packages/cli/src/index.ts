export { runCli } from './cli.js';
export type { CliIO } from './io.js';
export type { Command } from './command.js';
