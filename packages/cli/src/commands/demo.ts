import type { Command } from '../command.js';
import { UsageError } from '../args.js';

// Placeholder until its issue lands: not implemented yet.
export const demoCommand: Command = {
  name: 'demo',
  summary: '(demo: not implemented yet)',
  usage: 'mtl-fd demo',
  async run() {
    throw new UsageError('demo: not implemented yet');
  },
};
