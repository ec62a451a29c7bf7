import { displayName } from '@mtl-fd/capture';
import type { Finding } from '@mtl-fd/diagnose';
import type { ResultTable } from '../../rank/reportTable.js';
import type { ZooScore, ZooVerdict } from './zooVerdict.js';

const findingText = (f: Finding) => `${f.kind}${f.tasks.length ? `[${f.tasks.map(displayName).join(',')}]` : ''} ${f.severity} ${f.steps.from}-${f.steps.to}`;

/** One row per zoo run: its pathology, what it must raise, what it raised, hit or miss. */
export function zooTable(verdicts: readonly ZooVerdict[], score: ZooScore): ResultTable {
  const header = ['run', 'pathology', 'expected', 'findings (kind[tasks] severity steps)', 'capture steps', 'verdict'];
  const rows = verdicts.map((v) => [
    v.run,
    v.pathology,
    v.healthy ? 'no warning or critical' : v.expected.map((x) => `${x.expectation.kind}${x.expectation.tasks.length ? `[${x.expectation.tasks.join(',')}]` : ''} from ${x.from}`).join('; '),
    v.findings.length ? v.findings.map(findingText).join('; ') : 'none',
    `${v.steps.from}-${v.steps.to}`,
    v.healthy ? (v.ok ? 'quiet' : 'FALSE ALARM') : v.ok ? 'hit' : `MISS (${v.expected.filter((x) => !x.hit).map((x) => x.expectation.kind).join(', ')})`,
  ]);
  return {
    header,
    rows,
    note:
      `Recall ${score.recall.hit}/${score.recall.of} pathology runs; false alarms on ${score.falseAlarms.runs}/${score.falseAlarms.of} healthy runs.\n` +
      'A hit is a finding of the expected kind (warning or critical) about the expected task, from no later than the step given through the last capture. Weighted view (w_t * g_t).',
  };
}
