import type { At, RankCell, RankingTable } from '@mtl-fd/metrics';

/** Cells with a p-value below this are marked as distinguishable from chance. */
export const SIGNIFICANCE = 0.05;

const atLabel = (at: At) => (typeof at === 'number' ? `step ${at}` : at);
const rowKey = (c: RankCell) => `${c.identifier}\u0000${c.task ?? ''}\u0000${c.task_b ?? ''}`;
const colKey = (perf: string, at: At) => `${perf}\u0000${String(at)}`;

export function rowLabel(c: Pick<RankCell, 'identifier' | 'task' | 'task_b'>): string {
  if (c.task === null) return c.identifier;
  return `${c.identifier} [${c.task}${c.task_b ? `, ${c.task_b}` : ''}]`;
}

function tau(v: number): string {
  const s = v.toFixed(2);
  return v > 0 ? `+${s}` : s.startsWith('-') ? s : ` ${s}`;
}

/** A cell as 8 characters: tau-b, '*' when p < 0.05, in [ ] when best in its column. */
function cellText(c: RankCell | undefined, best: boolean): string {
  if (!c) return '';
  if (c.na_reason !== null || c.tau_b === null) return ' n/a';
  const sig = c.p_value !== null && c.p_value < SIGNIFICANCE ? '*' : ' ';
  return best ? `[${tau(c.tau_b)}${sig}]` : ` ${tau(c.tau_b)}${sig} `;
}

/**
 * The table as aligned text: one row per identifier (as read: global, a task, a
 * pair, averaged), one column per test metric and capture, tau-b in each cell, the
 * best identifier of each column in brackets and cells whose permutation p-value is
 * below 0.05 starred; then the legend, how p-values and intervals were found, and
 * why each n/a cell is n/a.
 */
export function tableText(table: RankingTable): string {
  const { settings, cells } = table;
  const perfs = Object.keys(settings.perf_tasks).filter((p) => cells.some((c) => c.perf_metric === p));
  const ats = settings.at;
  const byKey = new Map<string, Map<string, RankCell>>();
  const rows: RankCell[] = [];
  for (const c of cells) {
    let r = byKey.get(rowKey(c));
    if (!r) {
      byKey.set(rowKey(c), (r = new Map()));
      rows.push(c);
    }
    r.set(colKey(c.perf_metric, c.at), c);
  }
  // the best tau-b of each column (ties all marked)
  const best = new Map<string, number>();
  for (const c of cells) {
    if (c.tau_b === null || c.na_reason !== null) continue;
    const k = colKey(c.perf_metric, c.at);
    best.set(k, Math.max(best.get(k) ?? -Infinity, c.tau_b));
  }

  const dirOf = (perf: string) => cells.find((c) => c.perf_metric === perf)!.perf_direction.replace('-better', '');
  const groups = perfs.map((p) => ({ perf: p, label: `${p} (${dirOf(p)})` }));
  const sub = ats.map((a) => atLabel(a).length).reduce((acc, v) => Math.max(acc, v), 8);
  const groupWidth = (label: string) => Math.max(label.length, ats.length * sub + 2 * (ats.length - 1));
  const labels = rows.map(rowLabel);
  const w0 = labels.map((l) => l.length).reduce((acc, v) => Math.max(acc, v), 'identifier'.length);
  const w1 = 'predicts'.length;

  const line = (first: string, second: string, rest: string[]) => [first.padEnd(w0), second.padEnd(w1), ...rest].join('  ').trimEnd();
  const groupCells = (g: { perf: string; label: string }, texts: string[]) => texts.map((t) => t.padEnd(sub)).join('  ').padEnd(groupWidth(g.label));
  const out: string[] = [];
  const runs = settings.runs;
  out.push(`Ranking Similarity (docs/metrics.md §7) over ${runs.length} runs (${runs.join(', ')}): Kendall tau-b of each identifier, in the direction it declares, against each test metric`);
  out.push(
    `test metrics: ${perfs.map((p) => `${p} (${settings.perf_tasks[p] === null ? 'whole run' : `task ${settings.perf_tasks[p]}`})`).join(', ')}`,
  );
  out.push('');
  out.push(line('', '', groups.map((g) => g.label.padEnd(groupWidth(g.label)))));
  out.push(line('identifier', 'predicts', groups.map((g) => groupCells(g, ats.map(atLabel)))));
  rows.forEach((r, i) => {
    const here = byKey.get(rowKey(r))!;
    const texts = groups.map((g) =>
      groupCells(
        g,
        ats.map((a) => {
          const c = here.get(colKey(g.perf, a));
          return cellText(c, c?.tau_b != null && c.na_reason === null && c.tau_b === best.get(colKey(g.perf, a)));
        }),
      ),
    );
    out.push(line(labels[i]!, r.direction.replace('-better', ''), texts));
  });
  out.push('');
  out.push(
    `legend: tau-b (+1: the identifier orders the runs as the test metric does); * p < ${SIGNIFICANCE} (one-sided permutation test, not corrected for the number of cells); [ ] best identifier in the column; n/a: not computed (why below); blank: not compared`,
  );
  out.push(pValueLine(table));
  out.push(
    `bootstrap: ${Math.round(settings.bootstrap.level * 100)}% percentile intervals of tau-b over runs, ${settings.bootstrap.resamples} resamples, seed ${settings.seed}, from ${settings.bootstrap.min_runs} runs; rho, p-values and intervals per cell: --format json or csv`,
  );
  // why each n/a row is n/a, once per row and reason, with the captures it holds for
  const na = new Map<string, { label: string; reason: string; ats: string[] }>();
  for (const c of cells) {
    if (c.na_reason === null) continue;
    const k = `${rowKey(c)}\u0000${c.na_reason}`;
    let e = na.get(k);
    if (!e) na.set(k, (e = { label: rowLabel(c), reason: c.na_reason, ats: [] }));
    if (!e.ats.includes(atLabel(c.at))) e.ats.push(atLabel(c.at));
  }
  if (na.size > 0) {
    out.push('n/a:');
    for (const e of na.values()) out.push(`  ${e.label} (${e.ats.join(', ')}): ${e.reason}`);
  }
  out.push('');
  return out.join('\n');
}

function pValueLine(table: RankingTable): string {
  const { settings, cells } = table;
  const exactN = [...new Set(cells.filter((c) => c.p_method === 'exact').map((c) => c.n_runs))].sort((a, b) => a - b);
  const mc = cells.some((c) => c.p_method === 'monte-carlo');
  const parts: string[] = [];
  if (exactN.length > 0) parts.push(`exact, over all ${exactN.map((n) => `${n}!`).join(' / ')} orderings (ties kept)`);
  if (mc) parts.push(`Monte Carlo, ${settings.p_value.orderings} seeded orderings (seed ${settings.seed}) where more than ${settings.p_value.exact_max_runs} runs`);
  return `p-values: share of orderings of the identifier's values whose tau-b is at least the observed one: ${parts.join('; ') || 'none computed'}`;
}
