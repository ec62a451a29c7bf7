import type { TidyRow } from '../table/types.js';
import { EventFileWriter, writtenSteps } from './eventFile.js';
import { scalarEvents, textEvents } from './tidyScalars.js';

/** What one `RunEventLog.add` wrote and left out. */
export interface EventLogCounts {
  /** scalars written */
  scalars: number;
  /** text summaries written (one per step) */
  texts: number;
  /** rows with a null value, left out */
  skippedNull: number;
  /** rows already in the log directory, left out */
  skippedWritten: number;
}

/**
 * One run's TensorBoard log directory (`<logdir>/<run>/`), appended to: it starts from
 * the (tag, step) pairs its event files already hold (read back, not remembered
 * elsewhere), and each `add` writes only values at steps not yet written, into one
 * new event file per RunEventLog.
 */
export class RunEventLog {
  private constructor(
    private readonly writer: EventFileWriter,
    private readonly written: Map<string, Set<number>>,
    private readonly now: () => number,
  ) {}

  static async open(dir: string, now: () => number = () => Date.now() / 1000): Promise<RunEventLog> {
    return new RunEventLog(new EventFileWriter(dir, now), await writtenSteps(dir), now);
  }

  /** the event file written, once there is one */
  get file(): string | undefined {
    return this.writer.file;
  }

  /** Writes the rows' non-null values and the texts (at their steps) not yet in the log. */
  async add(rows: readonly TidyRow[], texts: readonly { step: number; text: string }[] = []): Promise<EventLogCounts> {
    const wallTime = this.now();
    const scalars = scalarEvents(rows, this.written, wallTime);
    const textRecords = textEvents(texts, this.written, wallTime);
    const events = [...scalars.events, ...textRecords].sort((a, b) => a.step - b.step);
    await this.writer.write(events);
    return { scalars: scalars.written, texts: textRecords.length, skippedNull: scalars.skippedNull, skippedWritten: scalars.skippedWritten };
  }
}
