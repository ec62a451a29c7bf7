import type { Command } from '../command.js';
import { UsageError } from '../args.js';

// Placeholder until its issue lands: not implemented yet.
export const cleanCommand: Command = {
  name: 'clean',
  summary: '(clean: not implemented yet)',
  usage: 'mtl-fd clean',
  async run() {
    throw new UsageError('clean: not implemented yet');
  },
};
