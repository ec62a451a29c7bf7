#!/usr/bin/env node
import { runCli } from './cli.js';
import { processIO } from './io.js';

runCli(process.argv.slice(2), processIO).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`mtl-fd: internal error: ${(err as Error)?.message ?? String(err)}\n`);
    process.exitCode = 70;
  },
);
