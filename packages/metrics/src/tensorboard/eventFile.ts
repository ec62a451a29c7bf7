import { appendFile, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UserError, writeFileAtomic } from '@mtl-fd/capture';
import { encodeEvent, eventStepAndTags, EVENT_FILE_VERSION, type EventRecord } from './event.js';
import { frameRecord, frameRecords, readRecords } from './records.js';

const EVENT_FILE_PREFIX = 'events.out.tfevents.';
const EVENT_FILE_SUFFIX = '.mtl-fd';

/** `events.out.tfevents.<seconds>.<host>.mtl-fd`, the name TensorBoard looks for (plus whose it is). */
export function eventFileName(seconds: number, host = hostname()): string {
  return `${EVENT_FILE_PREFIX}${Math.floor(seconds)}.${host.replace(/[^A-Za-z0-9_-]/g, '_') || 'host'}${EVENT_FILE_SUFFIX}`;
}

/** True for any event file name TensorBoard reads (ours or another writer's). */
export function isEventFileName(name: string): boolean {
  return name.startsWith(EVENT_FILE_PREFIX);
}

/**
 * The steps already written per tag in `dir`'s event files (every writer's, in name
 * order): what appending to a log directory reads back instead of keeping a copy of
 * its own. A missing directory has none; a record still being appended is left out.
 */
export async function writtenSteps(dir: string): Promise<Map<string, Set<number>>> {
  const written = new Map<string, Set<number>>();
  let names: string[];
  try {
    names = (await readdir(dir)).filter(isEventFileName).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return written;
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') throw new UserError(`${dir}: not a directory`);
    throw err;
  }
  for (const name of names) {
    const file = join(dir, name);
    const { records } = readRecords(await readFile(file), file);
    for (const record of records) {
      const { step, tags } = eventStepAndTags(record);
      for (const tag of tags) {
        let steps = written.get(tag);
        if (!steps) written.set(tag, (steps = new Set()));
        steps.add(step);
      }
    }
  }
  return written;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * One event file of a log directory, created on the first write. It appears whole
 * (version record and first events, written under a temporary name and renamed); later
 * writes append whole records in one `write` each, so a reader sees complete records
 * or a record cut short at the end, which TensorBoard (and writtenSteps) waits for.
 */
export class EventFileWriter {
  private path: string | undefined;

  constructor(
    readonly dir: string,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {}

  /** the file, once written */
  get file(): string | undefined {
    return this.path;
  }

  async write(events: readonly EventRecord[]): Promise<void> {
    if (events.length === 0) return;
    const datas = events.map(encodeEvent);
    if (this.path !== undefined) {
      await appendFile(this.path, frameRecords(datas));
      return;
    }
    await mkdir(this.dir, { recursive: true });
    // a second file in the same second gets the next second's name: names sort by time
    let seconds = Math.floor(this.now());
    while (await exists(join(this.dir, eventFileName(seconds)))) seconds++;
    const path = join(this.dir, eventFileName(seconds));
    const header = frameRecord(encodeEvent({ wallTime: this.now(), step: 0, fileVersion: EVENT_FILE_VERSION }));
    await writeFileAtomic(path, Buffer.concat([header, frameRecords(datas)]));
    this.path = path;
  }
}

/**
 * `<logdir>/<run>`: one subdirectory per run, as TensorBoard expects. Characters that
 * could leave the log directory or trouble a shell become `_`.
 */
export function runEventDir(logdir: string, run: string): string {
  const safe = run.replace(/[^A-Za-z0-9._=+-]/g, '_');
  return join(logdir, /^\.*$/.test(safe) ? `${safe.replace(/\./g, '_')}_` : safe);
}
