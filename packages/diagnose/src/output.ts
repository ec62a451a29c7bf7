import { displayLines } from '@mtl-fd/capture';
import { formatEvidence } from './evidence.js';
import { DIAGNOSE_OPTION_SPECS, type DiagnoseOptions } from './options.js';
import { sortFindings } from './sortFindings.js';
import { SEVERITIES, type Evidence, type Finding } from './types.js';

/** Version of the `mtl-fd diagnose --format json` envelope; bumped on any breaking change. */
export const DIAGNOSE_JSON_VERSION = 2;

/** Which gradients the findings read: each task's own (`unweighted`) or as the method weighted them (`weighted`, w_t * g_t). */
export type DiagnoseView = 'unweighted' | 'weighted';

/** The `--format json` output: the thresholds used and the findings in their stable order. */
export interface DiagnoseReport {
  version: typeof DIAGNOSE_JSON_VERSION;
  /** the gradient view the findings were computed on (new in version 2) */
  view: DiagnoseView;
  /** every threshold, in DIAGNOSE_OPTION_SPECS order */
  options: DiagnoseOptions;
  findings: Finding[];
}

function stableEvidence(e: Evidence): Evidence {
  return {
    metric: e.metric,
    ...(e.task !== undefined && { task: e.task }),
    ...(e.task_b !== undefined && { task_b: e.task_b }),
    ...(e.step !== undefined && { step: e.step }),
    value: e.value,
  };
}

/** A finding with its keys in the documented order (so serialised output is byte-stable). */
export function stableFinding(f: Finding): Finding {
  return {
    kind: f.kind,
    severity: f.severity,
    run: f.run,
    tasks: [...f.tasks],
    steps: { from: f.steps.from, to: f.steps.to },
    evidence: f.evidence.map(stableEvidence),
    message: f.message,
    advice: f.advice,
    ...(f.chart !== undefined && { chart: f.chart }),
  };
}

/** The JSON envelope, keys in a fixed order, findings sorted. */
export function diagnoseReport(findings: readonly Finding[], options: DiagnoseOptions, view: DiagnoseView = 'unweighted'): DiagnoseReport {
  const opts = Object.fromEntries(DIAGNOSE_OPTION_SPECS.map((s) => [s.name, options[s.name]])) as unknown as DiagnoseOptions;
  return { version: DIAGNOSE_JSON_VERSION, view, options: opts, findings: sortFindings(findings).map(stableFinding) };
}

/**
 * The exit code a gate should use: 3 with any critical finding, 1 with any warning,
 * else 0 (no findings, or info only).
 */
export function findingsExitCode(findings: readonly Finding[]): 0 | 1 | 3 {
  if (findings.some((f) => f.severity === 'critical')) return 3;
  if (findings.some((f) => f.severity === 'warning')) return 1;
  return 0;
}

function tally(findings: readonly Finding[]): string {
  return SEVERITIES.map((s) => `${findings.filter((f) => f.severity === s).length} ${s}`).join(', ');
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Findings as text: one block per run (in `runs` order, then any other run named by
 * a finding), one paragraph per finding, and a closing count line. Made for a
 * terminal: control characters in run and task names are shown escaped (displayLines).
 */
export function formatFindingsText(findings: readonly Finding[], runs: readonly string[] = []): string {
  const sorted = sortFindings(findings);
  const order = [...new Set([...runs, ...sorted.map((f) => f.run)])];
  const lines: string[] = [];
  for (const run of order) {
    const mine = sorted.filter((f) => f.run === run);
    lines.push(mine.length ? `run ${run}: ${plural(mine.length, 'finding')} (${tally(mine)})` : `run ${run}: no findings`);
    for (const f of mine) {
      const where = f.steps.from === f.steps.to ? `step ${f.steps.from}` : `steps ${f.steps.from}..${f.steps.to}`;
      const tasks = f.tasks.length ? ` [${f.tasks.join(', ')}]` : '';
      const chart = f.chart ? ` (chart: ${f.chart})` : '';
      lines.push('', `  ${f.severity.toUpperCase()} ${f.kind}${tasks}, ${where}${chart}`, `    ${f.message}`);
      lines.push(`    evidence: ${f.evidence.map(formatEvidence).join(', ')}`);
      lines.push(`    advice: ${f.advice}`);
    }
    lines.push('');
  }
  lines.push(`${plural(order.length, 'run')}, ${plural(sorted.length, 'finding')}: ${tally(sorted)}`);
  return `${displayLines(lines.join('\n'))}\n`;
}
