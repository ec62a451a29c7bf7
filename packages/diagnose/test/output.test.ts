import { describe, expect, it } from 'vitest';
import { DEFAULT_DIAGNOSE_OPTIONS, DIAGNOSE_OPTION_SPECS, diagnose, diagnoseReport, findingsExitCode, formatFindingsText } from '../src/index.js';
import type { Finding } from '../src/types.js';
import type { TidyRow } from '@mtl-fd/metrics';

/** Two tasks, three captures; `b`'s gradient is zero from step 20: one critical finding. */
function smallDeadRun(): TidyRow[] {
  const rows: TidyRow[] = [];
  const add = (step: number, metric: string, value: number | null, task = '', task_b = '') => rows.push({ run: 'tiny', step, metric, task, task_b, value });
  for (const [step, nb] of [[0, 0.5], [10, 0.25], [20, 0]] as const) {
    add(step, 'grad_norm', 1, 'a');
    add(step, 'grad_norm', nb, 'b');
    add(step, 'fd_task', 0.4, 'a');
    add(step, 'fd_task', nb ? 0.3 : null, 'b');
    add(step, 'grad_cos', nb ? 0.2 : null, 'a', 'b');
    add(step, 'grad_cond', nb ? 2.5 : null);
  }
  return rows;
}

const finding = (severity: Finding['severity'], run = 'r'): Finding => ({
  kind: 'gradient_conflict',
  severity,
  run,
  tasks: ['a', 'b'],
  steps: { from: 0, to: 10 },
  evidence: [{ metric: 'grad_cos', task: 'a', task_b: 'b', step: 0, value: -0.5 }],
  message: 'm.',
  advice: 'a.',
  chart: 'pairwise',
});

describe('diagnose output', () => {
  it('exits 0 with no findings or info only, 1 with a warning, 3 with a critical finding', () => {
    expect(findingsExitCode([])).toBe(0);
    expect(findingsExitCode([finding('info')])).toBe(0);
    expect(findingsExitCode([finding('info'), finding('warning')])).toBe(1);
    expect(findingsExitCode([finding('warning'), finding('critical'), finding('info')])).toBe(3);
  });

  it('writes a stable JSON envelope: version, every threshold in spec order, sorted findings', () => {
    const report = diagnoseReport(diagnose(smallDeadRun()), { ...DEFAULT_DIAGNOSE_OPTIONS });
    expect(Object.keys(report)).toEqual(['version', 'view', 'options', 'findings']);
    expect(Object.keys(report.options)).toEqual(DIAGNOSE_OPTION_SPECS.map((s) => s.name));
    expect(JSON.stringify(report.findings, null, 2)).toMatchInlineSnapshot(`
      "[
        {
          "kind": "dead_task",
          "severity": "critical",
          "run": "tiny",
          "tasks": [
            "b"
          ],
          "steps": {
            "from": 20,
            "to": 20
          },
          "evidence": [
            {
              "metric": "grad_norm",
              "task": "b",
              "step": 20,
              "value": 0
            },
            {
              "metric": "grad_norm",
              "task": "a",
              "step": 20,
              "value": 1
            },
            {
              "metric": "fd_task",
              "task": "b",
              "step": 20,
              "value": null
            },
            {
              "metric": "grad_cos",
              "task": "a",
              "task_b": "b",
              "step": 20,
              "value": null
            },
            {
              "metric": "grad_cond",
              "step": 20,
              "value": null
            }
          ],
          "message": "Task b's gradient into the shared features is exactly zero at the last capture (step 20): its head no longer trains the backbone, so its fd_task, cosines and cond are null or infinite there.",
          "advice": "Check b's head for dead ReLUs, a detached or zero-weighted loss or a saturated output, and re-initialise it or lower its learning rate; do not read its per-task scores from step 20 on.",
          "chart": "ownership"
        }
      ]"
    `);
  });

  it('keeps the key order of findings built in another order', () => {
    const scrambled = { advice: 'a.', chart: 'pairwise', message: 'm.', evidence: [{ value: 1, step: 3, metric: 'x' }], steps: { to: 2, from: 1 }, tasks: [], run: 'r', severity: 'info', kind: 'conflict_spike' } as unknown as Finding;
    const out = diagnoseReport([scrambled], { ...DEFAULT_DIAGNOSE_OPTIONS }).findings[0]!;
    expect(Object.keys(out)).toEqual(['kind', 'severity', 'run', 'tasks', 'steps', 'evidence', 'message', 'advice', 'chart']);
    expect(Object.keys(out.steps)).toEqual(['from', 'to']);
    expect(Object.keys(out.evidence[0]!)).toEqual(['metric', 'step', 'value']);
  });

  it('prints text grouped per run, one block per finding, runs without findings included', () => {
    const text = formatFindingsText(diagnose(smallDeadRun()), ['tiny', 'clean']);
    expect(text).toMatchInlineSnapshot(`
      "run tiny: 1 finding (1 critical, 0 warning, 0 info)

        CRITICAL dead_task [b], step 20 (chart: ownership)
          Task b's gradient into the shared features is exactly zero at the last capture (step 20): its head no longer trains the backbone, so its fd_task, cosines and cond are null or infinite there.
          evidence: grad_norm[b]@20 = 0, grad_norm[a]@20 = 1, fd_task[b]@20 = null, grad_cos[a,b]@20 = null, grad_cond@20 = null
          advice: Check b's head for dead ReLUs, a detached or zero-weighted loss or a saturated output, and re-initialise it or lower its learning rate; do not read its per-task scores from step 20 on.

      run clean: no findings

      2 runs, 1 finding: 1 critical, 0 warning, 0 info
      "
    `);
  });
});
