import type { Finding } from '@mtl-fd/diagnose';
import type { ZooEntry, ZooExpectation } from './pathologies.js';

/** How one zoo run fared: what it should raise, what it raised, and whether that is right. */
export interface ZooVerdict {
  run: string;
  pathology: string;
  healthy: boolean;
  /** the run's capture steps: first and last */
  steps: { from: number; to: number };
  expected: { expectation: ZooExpectation; from: number; hit: Finding | null }[];
  /** every finding of the run, most severe first */
  findings: Finding[];
  /** pathology: every expectation hit; healthy: no warning or critical finding */
  ok: boolean;
}

export interface ZooScore {
  /** pathology runs whose every expectation is hit, of all pathology runs */
  recall: { hit: number; of: number };
  /** healthy runs with a warning or critical finding, of all healthy runs */
  falseAlarms: { runs: number; of: number };
}

/**
 * Whether a finding meets an expectation: the same kind, at warning or above, about
 * the expected task(s), holding from no later than the pathology's first capture
 * (`from`) through the run's last capture.
 */
export function meets(f: Finding, e: ZooExpectation, from: number, lastStep: number): boolean {
  if (f.kind !== e.kind || f.severity === 'info') return false;
  const tasksMatch = e.tasks.length === 0 || (e.tasks.length === 1 ? f.tasks[0] === e.tasks[0] : e.tasks.every((t) => f.tasks.includes(t)));
  return tasksMatch && f.steps.from <= from && f.steps.to >= lastStep;
}

/** The verdict of one run from its findings and capture steps (ascending). */
export function zooVerdict(entry: ZooEntry, findings: readonly Finding[], captureSteps: readonly number[], stepsPerEpoch: number): ZooVerdict {
  const own = findings.filter((f) => f.run === entry.name);
  const first = captureSteps[0] ?? 0;
  const last = captureSteps[captureSteps.length - 1] ?? 0;
  const expected = entry.expect.map((expectation) => {
    const from = expectation.fromEpoch * stepsPerEpoch;
    return { expectation, from, hit: own.find((f) => meets(f, expectation, from, last)) ?? null };
  });
  const healthy = entry.expect.length === 0;
  const ok = healthy ? own.every((f) => f.severity === 'info') : expected.every((x) => x.hit !== null);
  return { run: entry.name, pathology: entry.pathology, healthy, steps: { from: first, to: last }, expected, findings: own, ok };
}

export function zooScore(verdicts: readonly ZooVerdict[]): ZooScore {
  const sick = verdicts.filter((v) => !v.healthy);
  const healthy = verdicts.filter((v) => v.healthy);
  return {
    recall: { hit: sick.filter((v) => v.ok).length, of: sick.length },
    falseAlarms: { runs: healthy.filter((v) => !v.ok).length, of: healthy.length },
  };
}
