import type { Command } from '../command.js';
import { scoreCommand } from './score.js';
import { rankCommand } from './rank.js';
import { plotCommand } from './plot.js';
import { diagnoseCommand } from './diagnose.js';
import { demoCommand } from './demo.js';
import { cleanCommand } from './clean.js';
import { mergeCommand } from './merge.js';

export const commands: Command[] = [scoreCommand, mergeCommand, rankCommand, plotCommand, diagnoseCommand, demoCommand, cleanCommand];
