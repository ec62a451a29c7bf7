import type { Command } from '../command.js';
import { UsageError } from '../args.js';

// Placeholder until its issue lands: not implemented yet.
export const plotCommand: Command = {
  name: 'plot',
  summary: '(plot: not implemented yet)',
  usage: 'mtl-fd plot',
  async run() {
    throw new UsageError('plot: not implemented yet');
  },
};
