import type { Command } from '../command.js';
import { UsageError } from '../args.js';

// Placeholder until its issue lands: not implemented yet.
export const diagnoseCommand: Command = {
  name: 'diagnose',
  summary: '(diagnose: not implemented yet)',
  usage: 'mtl-fd diagnose',
  async run() {
    throw new UsageError('diagnose: not implemented yet');
  },
};
