import type { Finding } from '@mtl-fd/diagnose';
import { formatValue } from '../data.js';
import type { ChartEntry, Ranking, ReportTable } from '../types.js';
import { inlineLibraries } from './assets.js';
import { type LinkedFinding, linkFindings } from './findings.js';
import type { Summary } from './summary.js';

export function escapeHtml(text: unknown): string {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** JSON safe to place inside a <script type="application/json"> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const KIND_LABEL = (kind: string) => kind.replace(/_/g, ' ');

function stepRange(f: Finding): string {
  return f.steps.from === f.steps.to ? `step ${f.steps.from}` : `steps ${f.steps.from}\u2013${f.steps.to}`;
}

function evidenceText(e: Finding['evidence'][number]): string {
  const who = e.task ? (e.task_b ? `[${e.task}, ${e.task_b}]` : `[${e.task}]`) : '';
  const at = e.step === undefined ? '' : ` at step ${e.step}`;
  return `${e.metric}${who}${at} = ${e.value === null ? 'null' : formatValue(e.value, 4)}`;
}

function findingsSection(linked: LinkedFinding[] | undefined): string {
  const head = '<section id="findings"><h2>Findings</h2>';
  if (linked === undefined) {
    return `${head}<p class="muted">No diagnosis was run for this report.</p></section>`;
  }
  if (linked.length === 0) return `${head}<p class="no-findings">No findings: nothing unusual was detected.</p></section>`;
  const counts = (['critical', 'warning', 'info'] as const)
    .map((s) => [s, linked.filter((l) => l.finding.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  const items = linked.map(({ finding: f, chart }) => {
    const tasks = f.tasks.length ? ` · task${f.tasks.length > 1 ? 's' : ''} ${f.tasks.map((t) => `<code>${escapeHtml(t)}</code>`).join(', ')}` : '';
    const link = chart
      ? `<a class="finding-link" href="#chart-${chart.id}" data-chart="${chart.id}" data-from="${f.steps.from}" data-to="${f.steps.to}" data-zoom="${chart.stepZoom}">${escapeHtml(chart.title)}, ${stepRange(f)}</a>`
      : `<span class="muted">no chart drawn for this finding (${stepRange(f)})</span>`;
    const evidence = f.evidence.length
      ? `<details><summary>evidence (${f.evidence.length})</summary><ul>${f.evidence
          .map((e) => `<li><code>${escapeHtml(evidenceText(e))}</code></li>`)
          .join('')}</ul></details>`
      : '';
    return `<li class="finding sev-${escapeHtml(f.severity)}"><div class="finding-head"><span class="badge">${escapeHtml(
      f.severity,
    )}</span> <strong>${escapeHtml(KIND_LABEL(f.kind))}</strong> · run <code>${escapeHtml(f.run)}</code>${tasks} · ${stepRange(
      f,
    )}</div><p>${escapeHtml(f.message)}</p><p class="advice">Advice: ${escapeHtml(f.advice)}</p><p class="see">See: ${link}</p>${evidence}</li>`;
  });
  return `${head}<p>${linked.length} finding${linked.length === 1 ? '' : 's'} (${counts}).</p><ol class="findings">${items.join(
    '',
  )}</ol></section>`;
}

/** A string that reads as a number ('0.912', '+1.25', '-3.0e-4', '12.5s', '+0.33 / -0.10'). */
const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?(%|s)?( \/ [+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?)?$/i;

type Cell = string | number | null | undefined;
const isEmpty = (c: Cell) => c === '' || c === undefined;
/** numbers, null, numeric-looking strings and 'n/a' (with or without a reason) */
const isNumeric = (c: Cell) => c === null || typeof c === 'number' || (typeof c === 'string' && (NUMERIC.test(c.trim()) || /^n\/a( \(.*\))?$/.test(c.trim())));

/** A column is right-aligned, header included, when each of its non-empty cells is numeric. */
function numericColumns(t: ReportTable): boolean[] {
  return t.columns.map((_, i) => {
    const cells = t.rows.map((r) => r[i]).filter((c) => !isEmpty(c));
    return cells.length > 0 && cells.every(isNumeric);
  });
}

function tableCell(value: Cell, numeric: boolean): string {
  if (value === null) return '<td class="num na muted">n/a</td>';
  if (value === undefined) return '<td></td>';
  if (typeof value === 'number') return `<td class="num">${escapeHtml(Number.isFinite(value) ? String(value) : 'n/a')}</td>`;
  return `<td${numeric ? ' class="num"' : ''}>${escapeHtml(value)}</td>`;
}

/** Anchor of a result table: `table-<id>`, with characters unsafe in an id replaced. */
export function tableAnchor(t: ReportTable): string {
  return `table-${t.id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

function resultTableSection(t: ReportTable): string {
  const note = t.note ? `<p class="table-note">${escapeHtml(t.note)}</p>` : '';
  const numeric = numericColumns(t);
  const head = t.columns.map((c, i) => `<th${numeric[i] ? ' class="num"' : ''}>${escapeHtml(c)}</th>`).join('');
  const body = t.rows.map((r) => `<tr>${t.columns.map((_, i) => tableCell(r[i], numeric[i]!)).join('')}</tr>`).join('');
  return `<section class="result-table" id="${tableAnchor(t)}"><h2>${escapeHtml(t.title)}</h2>${note}<div class="table-wrap"><table class="results"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div></section>`;
}

function optionValue(value: unknown): string {
  if (value === null || value === undefined) return '<span class="muted">none</span>';
  if (typeof value === 'object') return `<code>${escapeHtml(JSON.stringify(value))}</code>`;
  return `<code>${escapeHtml(value)}</code>`;
}

function optionsSection(options: Record<string, unknown> | undefined, settings: [string, string][]): string {
  const scored =
    options && Object.keys(options).length
      ? `<table class="kv"><tbody>${Object.entries(options)
          .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${optionValue(v)}</td></tr>`)
          .join('')}</tbody></table>`
      : '<p class="muted">Not recorded: the table came without its scoring options.</p>';
  const report = `<table class="kv"><tbody>${settings
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('')}</tbody></table>`;
  return `<section id="options"><h2>Options</h2><h3>Scoring options</h3>${scored}<h3>Report settings</h3>${report}</section>`;
}

function chartSection(c: ChartEntry): string {
  const head = `<section class="chart" id="chart-${c.id}"><h2>${escapeHtml(c.title)}</h2><p>${escapeHtml(c.description)}</p>`;
  if (!c.spec) return `${head}<p class="not-drawn">Not drawn: ${escapeHtml(c.unavailable ?? 'no data')}.</p></section>`;
  return `${head}<div class="vis" id="vis-${c.id}" data-chart="${c.id}"></div><p class="files">Static copies: <a href="${c.id}.svg">SVG</a> · <a href="${c.id}.png">PNG</a> · <a href="${c.id}.vl.json">Vega-Lite spec</a></p></section>`;
}

function summarySection(summary: Summary): string {
  const head = summary.runs
    .map((r, i) => `<th>${escapeHtml(r)}<br><span class="muted">last step ${escapeHtml(summary.lastStep[i])}</span></th>`)
    .join('');
  const body = summary.lines
    .map((l) => {
      const cells = l.values
        .map((v, i) => {
          if (!v) return '<td class="muted">\u2013</td>';
          const note = v.step !== summary.lastStep[i] ? ` <span class="muted">(step ${v.step})</span>` : '';
          return `<td class="num${v.value === null ? ' null' : ''}" title="${escapeHtml(v.value === null ? 'null' : v.value)}">${escapeHtml(
            v.value === null ? 'null' : formatValue(v.value, 4),
          )}${note}</td>`;
        })
        .join('');
      return `<tr><td><code>${escapeHtml(l.metric)}</code></td><td>${escapeHtml(l.task)}</td><td>${escapeHtml(l.task_b)}</td>${cells}</tr>`;
    })
    .join('');
  return `<section id="summary"><h2>Summary: values at each run\u2019s last capture</h2><div class="table-wrap"><table class="summary"><thead><tr><th>metric</th><th>task</th><th>task b</th>${head}</tr></thead><tbody>${body}</tbody></table></div></section>`;
}

const STYLE = `
:root { --fg: #1d1d1f; --muted: #6b6b70; --line: #e2e2e6; --crit: #b3261e; --warn: #a15c00; --info: #2f5fa7; }
* { box-sizing: border-box; }
body { font: 15px/1.5 "DejaVu Sans", Verdana, Arial, sans-serif; color: var(--fg); margin: 0 auto; padding: 24px 32px 64px; max-width: 1200px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 32px 0 6px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
nav { margin: 8px 0 0; font-size: 14px; } nav a { margin-right: 12px; }
code { font-family: "DejaVu Sans Mono", Menlo, monospace; font-size: 13px; background: #f4f4f6; padding: 0 3px; border-radius: 3px; }
.muted { color: var(--muted); }
.findings { padding-left: 20px; } .finding { margin: 10px 0; padding: 8px 12px; border-left: 4px solid var(--info); background: #f7f8fb; }
.finding p { margin: 4px 0; } .finding .advice { font-style: italic; }
.sev-critical { border-color: var(--crit); background: #fdf3f2; } .sev-warning { border-color: var(--warn); background: #fdf8ef; }
.badge { display: inline-block; font-size: 12px; font-weight: bold; text-transform: uppercase; color: white; background: var(--info); padding: 0 6px; border-radius: 3px; }
.sev-critical .badge { background: var(--crit); } .sev-warning .badge { background: var(--warn); }
.no-findings { padding: 8px 12px; background: #f1f8f1; border-left: 4px solid #3d8b40; }
.chart { margin-top: 8px; } .vis { overflow-x: auto; min-height: 40px; } .files { font-size: 13px; color: var(--muted); }
.not-drawn { color: var(--muted); font-style: italic; }
table { border-collapse: collapse; font-size: 13px; } th, td { padding: 3px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
.kv th { font-weight: normal; color: var(--muted); } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; } td.null { color: var(--crit); }
.table-note { white-space: pre-line; } .results thead th { white-space: nowrap; } .results td { white-space: nowrap; }
.table-wrap { overflow-x: auto; } .summary thead th { position: sticky; top: 0; background: white; }
:target { scroll-margin-top: 12px; } .flash { outline: 3px solid #f5b400; outline-offset: 4px; transition: outline-color 1s; }
`;

/** Script that draws every chart with vega-embed and makes finding links zoom the step axis. */
const EMBED_SCRIPT = `
(function () {
  var specs = JSON.parse(document.getElementById('mtl-fd-specs').textContent);
  var views = {};
  window.mtlFd = { views: views, errors: [] };
  var options = { renderer: 'svg', actions: { export: true, source: false, compiled: false, editor: false } };
  var jobs = Object.keys(specs).map(function (id) {
    var el = document.getElementById('vis-' + id);
    return vegaEmbed(el, specs[id], options).then(function (result) {
      views[id] = result.view;
    }).catch(function (err) {
      window.mtlFd.errors.push(id + ': ' + err.message);
      el.textContent = 'Could not draw this chart: ' + err.message;
      console.error('mtl-fd: chart ' + id + ' failed', err);
    });
  });
  Promise.all(jobs).then(function () { document.body.setAttribute('data-rendered', String(Object.keys(views).length)); });
  var fullDomain = {};
  function zoomTo(id, from, to) {
    var view = views[id];
    if (!view) return false;
    var lo = Number(from), hi = Number(to);
    if (!(isFinite(lo) && isFinite(hi))) return false;
    if (!fullDomain[id]) {
      try { fullDomain[id] = view.scale('x').domain().slice(); } catch (err) { fullDomain[id] = [lo, hi]; }
    }
    // pad by 5% of the whole step range so a one-capture finding still shows its neighbours
    var pad = Math.max(1, 0.05 * Math.abs(fullDomain[id][1] - fullDomain[id][0]));
    try { view.signal('zoom_step', [lo - pad, hi + pad]); view.runAsync(); return true; }
    catch (err) { console.warn('mtl-fd: cannot zoom ' + id, err); return false; }
  }
  window.mtlFd.zoomTo = zoomTo;
  document.addEventListener('click', function (event) {
    var link = event.target.closest ? event.target.closest('a.finding-link') : null;
    if (!link) return;
    var id = link.getAttribute('data-chart');
    if (link.getAttribute('data-zoom') === 'true') zoomTo(id, link.getAttribute('data-from'), link.getAttribute('data-to'));
    var section = document.getElementById('chart-' + id);
    if (section) { section.classList.add('flash'); setTimeout(function () { section.classList.remove('flash'); }, 1500); }
  });
})();
`;

export interface HtmlInput {
  title: string;
  runs: string[];
  charts: ChartEntry[];
  options?: Record<string, unknown>;
  settings: [string, string][];
  summary: Summary;
  findings?: Finding[];
  ranking?: Ranking[];
  /** result tables, shown after the findings and before the options */
  tables?: ReportTable[];
}

/** Which gradients the charts and findings show, from the recorded score options. */
function viewText(options: Record<string, unknown> | undefined): string {
  return options?.weighted === true
    ? 'weighted view: gradients as the method weighted them (w_t * g_t)'
    : "unweighted view: each task's own gradient";
}

/** The self-contained report page: vega, vega-lite and vega-embed inlined, no network needed. */
export function reportHtml(input: HtmlInput): string {
  const drawn = input.charts.filter((c) => c.spec);
  const linked = input.findings === undefined ? undefined : linkFindings(input.findings, input.charts);
  const libs = inlineLibraries();
  const specs = Object.fromEntries(drawn.map((c) => [c.id, c.spec]));
  const tables = input.tables ?? [];
  const nav = [
    ['findings', 'Findings'],
    ...tables.map((t) => [tableAnchor(t), t.title]),
    ['options', 'Options'],
    ...input.charts.map((c) => [`chart-${c.id}`, c.title]),
    ['summary', 'Summary'],
  ]
    .map(([id, label]) => `<a href="#${id}">${escapeHtml(label)}</a>`)
    .join('');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(input.title)}</title>`,
    `<style>${STYLE}</style>`,
    ...libs.map((l) => `<script data-lib="${l.name}@${l.version}">${l.code}</script>`),
    '</head>',
    '<body>',
    `<header><h1>${escapeHtml(input.title)}</h1><p class="muted">${input.runs.length} run${input.runs.length === 1 ? '' : 's'}: ${input.runs
      .map((r) => `<code>${escapeHtml(r)}</code>`)
      .join(', ')} · ${viewText(input.options)} · made with ${libs.map((l) => `${l.name} ${l.version}`).join(', ')}</p><nav>${nav}</nav></header>`,
    findingsSection(linked),
    ...tables.map(resultTableSection),
    optionsSection(input.options, input.settings),
    ...input.charts.map(chartSection),
    summarySection(input.summary),
    `<script type="application/json" id="mtl-fd-specs">${scriptJson(specs)}</script>`,
    `<script>${EMBED_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
