import type { TidyRow } from '@mtl-fd/metrics';

/**
 * What scoring one capture yields for a sweep: its own rows, its warnings, and what
 * the run-level loss identifiers need (run, step, tasks, probe losses). Plain data,
 * so it crosses a worker boundary and goes into the cache as is.
 */
export interface CaptureResult {
  file: string;
  /** the run the rows carry (runNameOf) */
  run: string;
  /** the capture's `run` metadata, which with the file's place decides `run` */
  metaRun?: string;
  step: number;
  tasks: string[];
  losses: Record<string, number>;
  rows: TidyRow[];
  warnings: string[];
}
