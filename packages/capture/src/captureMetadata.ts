import { CaptureError, quote } from './captureError.js';
import { isTaskName } from './taskNames.js';
import { CAPTURE_FORMAT, LAYOUTS, type CaptureData, type CaptureMeta, type Layout } from './types.js';

/** Metadata keys every capture carries, and the ones it may carry (other keys are ignored). */
export const REQUIRED_METADATA_KEYS = ['format', 'step', 'tasks', 'layout'] as const;
export const OPTIONAL_METADATA_KEYS = ['epoch', 'run', 'producer'] as const;

/**
 * The most tasks one capture may list. Scoring keeps tables over task pairs, which grow
 * as T^2: a tiny file listing 10,000 tasks would ask for gigabytes (docs/capture-format.md §4).
 */
export const MAX_TASKS = 1024;
/** The longest free-text metadata value (`run`, `producer`), in characters. */
export const MAX_METADATA_CHARS = 1024;
/** The longest `tasks` text: MAX_TASKS names of 64 characters, quoted, with separators and spaces. */
const MAX_TASKS_CHARS = 2 + MAX_TASKS * (64 + 4);

/** Validates a capture's `__metadata__` (every value already a string) into a CaptureMeta. */
export function parseCaptureMetadata(file: string, metadata: Record<string, string> | undefined): CaptureMeta {
  if (!metadata) {
    throw new CaptureError(file, `not an mtl-fd capture: the header has no __metadata__ (needs ${REQUIRED_METADATA_KEYS.join(', ')})`);
  }
  const value = (key: string): string | undefined => (Object.hasOwn(metadata, key) ? metadata[key] : undefined);
  const format = value('format');
  if (format === undefined) throw new CaptureError(file, 'not an mtl-fd capture: metadata has no "format" key');
  if (format !== CAPTURE_FORMAT) throw new CaptureError(file, `metadata format is ${quote(format)}, expected "${CAPTURE_FORMAT}"`);
  const required = (key: string): string => {
    const v = value(key);
    if (v === undefined) throw new CaptureError(file, `metadata has no "${key}" key (required by ${CAPTURE_FORMAT})`);
    return v;
  };
  const step = parseStep(file, required('step'));
  const tasks = parseTasks(file, required('tasks'));
  const layout = parseLayout(file, required('layout'));
  const meta: CaptureMeta = { format: CAPTURE_FORMAT, step, tasks, layout };
  const epoch = value('epoch');
  if (epoch !== undefined) meta.epoch = parseEpoch(file, epoch);
  const run = value('run');
  if (run !== undefined) meta.run = freeText(file, 'run', run);
  const producer = value('producer');
  if (producer !== undefined) meta.producer = freeText(file, 'producer', producer);
  return meta;
}

function freeText(file: string, key: string, text: string): string {
  if (text.length > MAX_METADATA_CHARS) {
    throw new CaptureError(file, `metadata ${key} is ${text.length} characters long; at most ${MAX_METADATA_CHARS} are allowed`);
  }
  return text;
}

function parseStep(file: string, text: string): number {
  const step = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(step)) throw new CaptureError(file, `metadata step ${quote(text)} is not a non-negative decimal integer`);
  return step;
}

function parseEpoch(file: string, text: string): number {
  const epoch = /^-?[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(epoch)) throw new CaptureError(file, `metadata epoch ${quote(text)} is not a decimal integer`);
  return epoch;
}

function parseLayout(file: string, text: string): Layout {
  if (!(LAYOUTS as readonly string[]).includes(text)) {
    throw new CaptureError(file, `metadata layout ${quote(text)} is not one of ${LAYOUTS.join(', ')}`);
  }
  return text as Layout;
}

function parseTasks(file: string, text: string): string[] {
  // checked on the text, before parsing: the task count bounds every table of scoring
  if (text.length > MAX_TASKS_CHARS) {
    throw new CaptureError(file, `metadata tasks is ${text.length} characters long: more than the ${MAX_TASKS} tasks a capture may list`);
  }
  let tasks: unknown;
  try {
    tasks = JSON.parse(text);
  } catch {
    tasks = undefined;
  }
  if (!Array.isArray(tasks)) throw new CaptureError(file, `metadata tasks ${quote(text)} is not a JSON array of task names`);
  if (tasks.length > MAX_TASKS) throw new CaptureError(file, `metadata tasks lists ${tasks.length} tasks; a capture may list at most ${MAX_TASKS}`);
  for (const t of tasks) {
    if (!isTaskName(t)) {
      throw new CaptureError(file, `metadata tasks holds ${quote(t)}, not a task name (1 to 64 of A-Z a-z 0-9 _ - .)`);
    }
  }
  const seen = new Set<string>();
  for (const t of tasks as string[]) {
    if (seen.has(t)) throw new CaptureError(file, `metadata tasks lists ${quote(t)} twice`);
    seen.add(t);
  }
  if (tasks.length < 2) throw new CaptureError(file, `metadata tasks lists ${tasks.length} task(s); a capture needs at least 2`);
  return tasks as string[];
}

/** The `__metadata__` strings a writer stores for `meta` (checked later by the reader's rules). */
export function captureMetadataStrings(meta: CaptureData['meta']): Record<string, string> {
  const strings: Record<string, string> = {
    format: meta.format ?? CAPTURE_FORMAT,
    step: String(meta.step),
    tasks: JSON.stringify(meta.tasks),
    layout: String(meta.layout),
  };
  if (meta.epoch !== undefined) strings.epoch = String(meta.epoch);
  if (meta.run !== undefined) strings.run = String(meta.run);
  if (meta.producer !== undefined) strings.producer = String(meta.producer);
  return strings;
}
