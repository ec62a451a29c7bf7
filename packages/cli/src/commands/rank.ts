import type { Command } from '../command.js';
import { UsageError } from '../args.js';

// Placeholder until its issue lands: not implemented yet.
export const rankCommand: Command = {
  name: 'rank',
  summary: '(rank: not implemented yet)',
  usage: 'mtl-fd rank',
  async run() {
    throw new UsageError('rank: not implemented yet');
  },
};
