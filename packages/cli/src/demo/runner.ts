import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { listCaptures, writeFileAtomic } from '@mtl-fd/capture';
import { evaluate, type TestResult } from './evaluate.js';
import { drawInitSeeds, type ModelSizes } from './model.js';
import type { ProgressSink } from './progress.js';
import { SeededRandom } from '@mtl-fd/metrics';
import { disposeTensors, makeTensors, type DemoTensors } from './tensors.js';
import { trainRun, type CaptureHooks, type EpochRecord, type RunSpec } from './train.js';
import { tweakedData } from './zoo/tweak.js';

/** Everything a run needs besides its spec: the same for every run of an experiment. */
export interface RunSetup {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  trainSize: number;
  testSize: number;
  probeSize: number;
  sizes: ModelSizes;
}

/** What a finished run reports (plain data: it crosses worker boundaries). */
export interface RunOutcome {
  name: string;
  test: TestResult[];
  history: EpochRecord[];
  steps: number;
  seconds: number;
  captures: number;
}

export function setupTensors(setup: RunSetup): DemoTensors {
  return makeTensors(setup.trainSize, setup.testSize, setup.probeSize, setup.seed);
}

/** The seed a run trains with: its own, else the set-up's. */
const runSeed = (spec: RunSpec, setup: RunSetup): number => spec.seed ?? setup.seed;

/**
 * The data of each seed, built when a run first needs it and kept for the others of
 * that seed (most experiments have one seed; the zoo's healthy runs have several).
 */
export class SeedData {
  private readonly bySeed = new Map<number, DemoTensors>();

  constructor(private readonly setup: RunSetup) {}

  of(spec: RunSpec): DemoTensors {
    const seed = runSeed(spec, this.setup);
    let data = this.bySeed.get(seed);
    if (!data) this.bySeed.set(seed, (data = setupTensors({ ...this.setup, seed })));
    return data;
  }

  dispose(): void {
    for (const d of this.bySeed.values()) disposeTensors(d);
    this.bySeed.clear();
  }
}

/** Trains, evaluates and records one run; the same wherever it executes. `data` is that of the run's seed. */
export async function executeRun(spec: RunSpec, setup: RunSetup, data: DemoTensors, hooks: CaptureHooks, progress: ProgressSink): Promise<RunOutcome> {
  await mkdir(spec.runDir, { recursive: true });
  const seed = runSeed(spec, setup);
  const rng = new SeededRandom(seed);
  const cfg = {
    epochs: setup.epochs,
    batchSize: setup.batchSize,
    learningRate: setup.learningRate,
    seed,
    initSeeds: drawInitSeeds(() => rng.seed()),
    sizes: setup.sizes,
  };
  const tweaked = tweakedData(data, spec.tweak, seed);
  const trained = await trainRun(spec, cfg, tweaked.data, hooks, progress).finally(() => tweaked.dispose());
  const test = evaluate(spec.name, trained.model, spec.tasks, data);
  trained.model.dispose();
  const captures = spec.kind === 'mtl' ? (await listCaptures(spec.runDir).catch(() => [])).length : 0;
  const outcome: RunOutcome = { name: spec.name, test, history: trained.history, steps: trained.steps, seconds: trained.seconds, captures };
  await writeFileAtomic(join(spec.runDir, 'test.json'), `${JSON.stringify({ run: spec.name, test, history: trained.history, seconds: trained.seconds }, null, 2)}\n`);
  return outcome;
}
