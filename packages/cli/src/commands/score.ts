import type { Command } from '../command.js';
import { UsageError } from '../args.js';

// Placeholder until its issue lands: not implemented yet.
export const scoreCommand: Command = {
  name: 'score',
  summary: '(score: not implemented yet)',
  usage: 'mtl-fd score',
  async run() {
    throw new UsageError('score: not implemented yet');
  },
};
