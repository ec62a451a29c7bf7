import { describe, expect, it } from 'vitest';
import { buildCharts } from '../../src/charts/index.js';
import { escapeHtml, type HtmlInput, reportHtml } from '../../src/report/html.js';
import { summarize } from '../../src/report/summary.js';
import { parseRanking } from '../../src/ranking.js';
import { CHART_IDS } from '../../src/types.js';
import { finding, fixtureRanking, fixtureRows } from '../fixtures.js';

function page(over: Partial<HtmlInput> = {}): string {
  const rows = fixtureRows();
  return reportHtml({
    title: 'mtl-fd report: <test>',
    runs: ['equal', 'dominant'],
    charts: buildCharts(rows, { ranking: parseRanking(fixtureRanking) }),
    settings: [['pairwise matrices at', 'the capture nearest step 200']],
    summary: summarize(rows),
    ...over,
  });
}

describe('reportHtml', () => {
  const html = page({
    options: { saliency: 'grad', granularity: 'channel', temperature: 0.5, nested: { a: 1 } },
    findings: [
      finding({ message: 'seg and depth <conflict>', advice: 'Try PCGrad & co.' }),
      finding({
        kind: 'dead_task',
        severity: 'critical',
        run: 'equal',
        tasks: ['normal'],
        steps: { from: 200, to: 300 },
        message: 'normal is dead',
        evidence: [{ metric: 'grad_norm', task: 'normal', step: 200, value: 0 }],
      }),
    ],
  });

  it('inlines vega, vega-lite and vega-embed and loads nothing from the network', () => {
    for (const lib of ['vega@6.4.0', 'vega-lite@6.4.3', 'vega-embed@7.3.0']) expect(html).toContain(`<script data-lib="${lib}">`);
    expect(html.indexOf('data-lib="vega@')).toBeLessThan(html.indexOf('data-lib="vega-lite@'));
    expect(html.indexOf('data-lib="vega-lite@')).toBeLessThan(html.indexOf('data-lib="vega-embed@'));
    expect(html).not.toMatch(/<script[^>]*\bsrc=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/sourceMappingURL/);
    const specs = JSON.parse(/<script type="application\/json" id="mtl-fd-specs">([^<]*)<\/script>/.exec(html)![1]!);
    expect(Object.keys(specs)).toEqual([...CHART_IDS]);
    for (const id of CHART_IDS) expect(html).toContain(`<div class="vis" id="vis-${id}" data-chart="${id}">`);
    expect(html).toContain('<title>mtl-fd report: &lt;test&gt;</title>');
  });

  it('puts the findings first, critical first, each linked to its chart and step range', () => {
    const order = ['id="findings"', 'id="options"', 'id="chart-fd-trajectory"', 'id="summary"'].map((s) => html.indexOf(s));
    expect(order.every((x, i) => x > 0 && (i === 0 || x > order[i - 1]!))).toBe(true);
    const findings = html.slice(html.indexOf('id="findings"'), html.indexOf('id="options"'));
    expect(findings).toContain('2 findings (1 critical, 1 warning)');
    expect(findings.indexOf('normal is dead')).toBeLessThan(findings.indexOf('seg and depth'));
    // the dead finding cites grad_norm: it links to the chart that plots it
    expect(findings).toContain('href="#chart-task-gradients" data-chart="task-gradients" data-from="200" data-to="300" data-zoom="true"');
    expect(findings).toContain('href="#chart-pair-grad-cos-evolution"');
    expect(findings).toContain('steps 100\u2013300');
    expect(findings).toContain('seg and depth &lt;conflict&gt;');
    expect(findings).toContain('Advice: Try PCGrad &amp; co.');
    expect(findings).toContain('grad_norm[normal] at step 200 = 0');
  });

  it('says "no findings" for an empty list, and that no diagnosis ran when none is given', () => {
    expect(page({ findings: [] })).toContain('<p class="no-findings">No findings: nothing unusual was detected.</p>');
    expect(page()).toContain('No diagnosis was run for this report.');
  });

  it('shows the scoring options, the report settings, and a note when options are missing', () => {
    expect(html).toMatch(/<th>granularity<\/th><td><code>channel<\/code>/);
    expect(html).toContain('<code>{&quot;a&quot;:1}</code>');
    expect(html).toContain('the capture nearest step 200');
    expect(page()).toContain('Not recorded: the table came without its scoring options.');
  });

  it('has a last-capture summary per run, marking values from an earlier capture', () => {
    const rows = fixtureRows({
      runs: [
        { name: 'long', steps: [0, 100, 200], skew: 0 },
        { name: 'short', steps: [0, 50], skew: 1 },
      ],
    });
    const withGap = rows.filter((r) => !(r.run === 'long' && r.step === 200 && r.metric === 'fd'));
    const summary = page({ runs: ['long', 'short'], summary: summarize(withGap) }).split('id="summary"')[1]!;
    expect(summary).toContain('long<br><span class="muted">last step 200</span>');
    expect(summary).toContain('short<br><span class="muted">last step 50</span>');
    const fd = withGap.find((r) => r.run === 'long' && r.step === 100 && r.metric === 'fd')!.value!;
    expect(summary).toContain(`>${fd} <span class="muted">(step 100)</span></td>`);
  });

  it('says why a chart was not drawn', () => {
    const charts = buildCharts(fixtureRows({ tasks: ['solo'] }));
    const text = page({ charts });
    expect(text).toContain('Not drawn: Pairwise FD (fd_pair): the table has no fd_pair rows');
    expect(text).toContain('Not drawn: no ranking given');
    expect(text).not.toContain('id="vis-pair-fd"');
  });

  it('shows result tables after the findings and before the options, escaped, with n/a for null and a nav link', () => {
    const text = page({
      findings: [],
      tables: [
        {
          id: 'results',
          title: 'Held-out <results>',
          note: 'Delta m & co.\nsecond line',
          columns: ['run', 'acc', 'Delta m %', 'time'],
          rows: [
            ['<ew>', 0.912, '+1.25', '3.0s'],
            ['pcgrad', null, 'n/a', 'fast & slow'],
          ],
        },
        { id: 'ranking', title: 'Ranking Similarity', columns: ['identifier', 'tau'], rows: [['fd', '+0.33 / -0.10']] },
      ],
    });
    const order = ['id="findings"', 'id="table-results"', 'id="table-ranking"', 'id="options"', 'id="chart-fd-trajectory"'].map((s) => text.indexOf(s));
    expect(order.every((x, i) => x > 0 && (i === 0 || x > order[i - 1]!))).toBe(true);
    const nav = /<nav>(.*?)<\/nav>/.exec(text)![1]!;
    expect(nav).toContain('<a href="#table-results">Held-out &lt;results&gt;</a>');
    expect(nav).toContain('<a href="#table-ranking">Ranking Similarity</a>');
    expect(nav.indexOf('#findings')).toBeLessThan(nav.indexOf('#table-results'));
    expect(nav.indexOf('#table-ranking')).toBeLessThan(nav.indexOf('#options'));
    const section = text.slice(text.indexOf('id="table-results"'), text.indexOf('id="table-ranking"'));
    expect(section).toContain('<h2>Held-out &lt;results&gt;</h2>');
    expect(section).toContain('Delta m &amp; co.\nsecond line');
    // numeric columns (numbers, null, '+1.25', 'n/a') are right-aligned, header included; a mixed one is not
    expect(section).toContain('<tr><th>run</th><th class="num">acc</th><th class="num">Delta m %</th><th>time</th></tr>');
    expect(section).toContain('<td>&lt;ew&gt;</td><td class="num">0.912</td><td class="num">+1.25</td><td>3.0s</td>');
    expect(section).toContain('<td>pcgrad</td><td class="num na muted">n/a</td><td class="num">n/a</td><td>fast &amp; slow</td>');
    expect(text).toContain('<td>fd</td><td class="num">+0.33 / -0.10</td>');
  });

  it('has no table section or nav link without tables', () => {
    for (const text of [page(), page({ tables: [] })]) {
      expect(text).not.toContain('id="table-');
      expect(text).not.toContain('href="#table-');
      expect(text).not.toContain('class="result-table"');
    }
  });

  it('escapes HTML', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
