import type { TidyRow } from '../table/types.js';
import type { EventRecord, SummaryValue } from './event.js';

/** The tag prefix of everything mtl-fd writes into event files. */
export const TAG_PREFIX = 'mtl-fd';
/** The tag of the findings' text summaries. */
export const FINDINGS_TAG = `${TAG_PREFIX}/findings`;

/** `mtl-fd/<metric>`, `mtl-fd/<metric>/<task>` or `mtl-fd/<metric>/<task>,<task_b>`. */
export function scalarTag(row: Pick<TidyRow, 'metric' | 'task' | 'task_b'>): string {
  if (row.task === '') return `${TAG_PREFIX}/${row.metric}`;
  if (row.task_b === '') return `${TAG_PREFIX}/${row.metric}/${row.task}`;
  return `${TAG_PREFIX}/${row.metric}/${row.task},${row.task_b}`;
}

export interface ScalarEvents {
  /** one event per step holding that step's new scalars, in step order */
  events: EventRecord[];
  /** scalars in `events` */
  written: number;
  /** rows with a null value, left out */
  skippedNull: number;
  /** rows whose tag already has a value at that step, left out */
  skippedWritten: number;
}

/**
 * One run's tidy rows as scalar events, leaving out null values and the (tag, step)
 * pairs `already` holds; what is returned is added to `already`.
 */
export function scalarEvents(rows: readonly TidyRow[], already: Map<string, Set<number>>, wallTime: number): ScalarEvents {
  const byStep = new Map<number, SummaryValue[]>();
  let skippedNull = 0;
  let skippedWritten = 0;
  let written = 0;
  for (const row of rows) {
    if (row.value === null) {
      skippedNull++;
      continue;
    }
    const tag = scalarTag(row);
    let steps = already.get(tag);
    if (!steps) already.set(tag, (steps = new Set()));
    if (steps.has(row.step)) {
      skippedWritten++;
      continue;
    }
    steps.add(row.step);
    let values = byStep.get(row.step);
    if (!values) byStep.set(row.step, (values = []));
    values.push({ tag, value: row.value });
    written++;
  }
  const events = [...byStep].sort((a, b) => a[0] - b[0]).map(([step, values]) => ({ wallTime, step, values }));
  return { events, written, skippedNull, skippedWritten };
}

/**
 * Text summaries under FINDINGS_TAG: one event per step holding the texts that start
 * there (joined as a markdown list), for steps `already` has no findings at.
 */
export function textEvents(texts: readonly { step: number; text: string }[], already: Map<string, Set<number>>, wallTime: number): EventRecord[] {
  let steps = already.get(FINDINGS_TAG);
  if (!steps) already.set(FINDINGS_TAG, (steps = new Set()));
  const byStep = new Map<number, string[]>();
  for (const { step, text } of texts) {
    if (steps.has(step)) continue;
    let list = byStep.get(step);
    if (!list) byStep.set(step, (list = []));
    list.push(text);
  }
  const events: EventRecord[] = [];
  for (const [step, list] of [...byStep].sort((a, b) => a[0] - b[0])) {
    steps.add(step);
    events.push({ wallTime, step, values: [{ tag: FINDINGS_TAG, text: list.map((t) => `- ${t}`).join('\n') }] });
  }
  return events;
}
