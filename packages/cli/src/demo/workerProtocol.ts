import type { BackendChoice } from '@mtl-fd/hooks';
import type { RunSetup } from './runner.js';

/** What every demo worker thread sets up once: the data (from `setup`) and the backend. */
export interface DemoWorkerData {
  setup: RunSetup;
  backend?: BackendChoice;
}

/** A demo worker's progress while it trains one run (the run's outcome is the reply). */
export type DemoWorkerEvent =
  | { type: 'step'; epoch: number }
  | { type: 'epoch'; epoch: number; loss: number }
  | { type: 'log'; message: string };
