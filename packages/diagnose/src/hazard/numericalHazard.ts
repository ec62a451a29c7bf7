import { evidence, formatNumber, keySteps } from '../evidence.js';
import { resolveDiagnoseOptions, type DiagnoseOptions } from '../options.js';
import { sortFindings } from '../sortFindings.js';
import type { Evidence, Finding } from '../types.js';
import type { CaptureUnderflowScan, TaskUnderflowCount } from './underflowCount.js';

const DTYPE_NAME = { F16: 'float16', BF16: 'bfloat16' } as const;

interface Hit {
  scan: CaptureUnderflowScan;
  count: TaskUnderflowCount;
  zeroFrac: number;
  subnormalFrac: number;
}

/**
 * numerical hazard (warning), from capture scans (scanRunUnderflow): a task's
 * float16/bfloat16 gradient underflows in at least `hazardMinCaptures` captures. A
 * capture counts when at least `hazardSubnormalFraction` of the task's values are
 * subnormal, or at least `hazardZeroFraction` are exact zeros in a capture where some
 * task is over that subnormal share: the gradients there live at the format's floor,
 * so zeros are likely values flushed below it that float32 would have kept. Zeros in a
 * capture whose gradients sit well above the floor are true zeros (ReLU sparsity, a
 * dead task), not underflow. Defaults: a float16 gradient with standard deviation
 * sigma has ~0.8 x 6.1e-5 / sigma of its values subnormal, so 5% flags sigma below
 * ~1e-3, where real feature gradients (~1e-5) are.
 */
export function detectNumericalHazards(scans: readonly CaptureUnderflowScan[], options: Partial<DiagnoseOptions> = {}): Finding[] {
  const opts = resolveDiagnoseOptions(options);
  const hits = new Map<string, Hit[]>();
  const ordered = [...scans].sort((a, b) => a.step - b.step);
  for (const scan of ordered) {
    const atFloor = scan.tasks.some((t) => t.values > 0 && t.subnormals / t.values >= opts.hazardSubnormalFraction);
    for (const count of scan.tasks) {
      if (count.values === 0) continue;
      const zeroFrac = count.zeros / count.values;
      const subnormalFrac = count.subnormals / count.values;
      const hazard = subnormalFrac >= opts.hazardSubnormalFraction || (atFloor && zeroFrac >= opts.hazardZeroFraction);
      if (!hazard) continue;
      const k = JSON.stringify([scan.run, count.task]);
      let list = hits.get(k);
      if (!list) hits.set(k, (list = []));
      list.push({ scan, count, zeroFrac, subnormalFrac });
    }
  }
  const findings: Finding[] = [];
  for (const list of hits.values()) {
    if (list.length < opts.hazardMinCaptures) continue;
    const { run } = list[0]!.scan;
    const task = list[0]!.count.task;
    const byStep = new Map(list.map((h) => [h.scan.step, h]));
    const steps = [...byStep.keys()];
    const ev: Evidence[] = [];
    for (const s of keySteps(steps, (st) => byStep.get(st)!.zeroFrac + byStep.get(st)!.subnormalFrac)) {
      const h = byStep.get(s)!;
      ev.push(evidence('subnormal_frac', s, h.subnormalFrac, task), evidence('zero_frac', s, h.zeroFrac, task));
    }
    const total = new Set(scans.filter((sc) => sc.run === run).map((sc) => sc.step)).size;
    const maxSub = list.map((h) => h.subnormalFrac).reduce((acc, v) => Math.max(acc, v), -Infinity);
    const maxZero = list.map((h) => h.zeroFrac).reduce((acc, v) => Math.max(acc, v), -Infinity);
    const dtypes = [...new Set(list.map((h) => DTYPE_NAME[h.scan.dtype]))].join('/');
    const pct = (v: number): string => `${formatNumber(v * 100)}%`;
    findings.push({
      kind: 'numerical_hazard',
      severity: 'warning',
      run,
      tasks: [task],
      steps: { from: steps[0]!, to: steps[steps.length - 1]! },
      evidence: ev,
      message: `Task ${task}'s ${dtypes} gradients underflow in ${list.length} of ${total} captures (up to ${pct(maxSub)} subnormal and ${pct(maxZero)} exact zeros): small values float32 would keep are lost, so its FD, norms and cosines undercount them.`,
      advice: 'Store captures in float32 (cast the gradients with .float() before saving), or scale the probe loss up before the backward pass and divide the gradients by the same factor.',
    });
  }
  return sortFindings(findings);
}
