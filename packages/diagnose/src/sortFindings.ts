import { FINDING_KINDS, SEVERITIES, type Finding } from './types.js';

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The stable order of findings: severity (critical first), run, kind (FINDING_KINDS
 * order), tasks, first step, last step, then message. Plain code-unit string
 * comparison, so the order does not depend on the locale.
 */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    cmp(a.run, b.run) ||
    FINDING_KINDS.indexOf(a.kind) - FINDING_KINDS.indexOf(b.kind) ||
    cmp(a.tasks.join('\u0000'), b.tasks.join('\u0000')) ||
    a.steps.from - b.steps.from ||
    a.steps.to - b.steps.to ||
    cmp(a.message, b.message)
  );
}

/** A sorted copy (compareFindings). */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}
