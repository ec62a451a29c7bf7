import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../src/report/write.js';
import type { ReportResult } from '../../src/types.js';
import { chromiumBrowser, skipUnless } from '../../../../test/support/requirements.js';
import { finding, fixtureRanking, fixtureRows } from '../fixtures.js';

const chromiumPath = chromiumBrowser();

const tmp = mkdtempSync(join(tmpdir(), 'mtl-fd-plots-browser-'));
let browser: Browser | undefined;
let report: ReportResult;

beforeAll(async () => {
  report = await writeReport(join(tmp, 'report'), {
    rows: fixtureRows(),
    options: { saliency: 'grad', granularity: 'element', temperature: 0 },
    ranking: fixtureRanking,
    findings: [finding({ kind: 'lagging_task', tasks: ['normal'], steps: { from: 100, to: 200 }, chart: 'fd-trajectory' })],
    pngScale: 1,
  });
});

afterAll(async () => {
  await browser?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('the report in a real browser', () => {
  it('draws every chart from file:// with no console error and no network request', async (ctx) => {
    skipUnless(ctx, chromiumPath);
    const executablePath = chromiumPath.path;
    browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => {
      if (!/^(file|data|blob):/.test(r.url())) requests.push(r.url());
    });

    await page.goto(pathToFileURL(report.index).href);
    await page.waitForSelector('body[data-rendered]', { timeout: 30_000 });
    expect(await page.getAttribute('body', 'data-rendered')).toBe(String(report.charts.length));
    const drawn = await page.$$eval('.vis', (els) =>
      els.map((el) => ({ id: el.getAttribute('data-chart'), marks: el.querySelectorAll('svg.marks, canvas.marks').length })),
    );
    expect(drawn).toEqual(report.charts.map((c) => ({ id: c.id, marks: 1 })));
    expect(await page.evaluate(() => (window as unknown as { mtlFd: { errors: string[] } }).mtlFd.errors)).toEqual([]);

    // a tooltip on moving the pointer over a heatmap cell
    const cell = page.locator('#vis-pair-fd path[aria-roledescription="rect mark"]').nth(1);
    await cell.scrollIntoViewIfNeeded();
    const box = (await cell.boundingBox())!;
    await page.mouse.move(box.x + box.width / 3, box.y + box.height / 3);
    await expect.poll(() => page.locator('#vg-tooltip-element.visible').count()).toBe(1);
    expect(await page.locator('#vg-tooltip-element').textContent()).toContain('task a');

    // a finding link zooms its chart's step axis to the finding's range (padded by 5% of 0..300)
    await page.click('a.finding-link');
    const zoom = await page.evaluate(() =>
      (window as unknown as { mtlFd: { views: Record<string, { signal(name: string): unknown }> } }).mtlFd.views['fd-trajectory']!.signal('zoom_step'),
    );
    expect(zoom).toEqual([85, 215]);

    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('fits a 1400 px window with 6 runs, and the trajectory has a run selector that redraws it', async (ctx) => {
    skipUnless(ctx, chromiumPath);
    browser ??= await chromium.launch({ executablePath: chromiumPath.path, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
    const runs = ['ew', 'uw', 'dwa', 'imbalanced', 'pcgrad', 'mgda'].map((name, i) => ({ name, steps: [0, 100, 200, 300], skew: i / 5 }));
    const six = await writeReport(join(tmp, 'six'), { rows: fixtureRows({ runs }), ranking: fixtureRanking, pngScale: 1 });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(six.index).href);
    await page.waitForSelector('body[data-rendered]', { timeout: 30_000 });
    expect(await page.evaluate(() => (window as unknown as { mtlFd: { errors: string[] } }).mtlFd.errors)).toEqual([]);
    const width = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, widest: Math.max(...Array.from(document.querySelectorAll('.vis svg'), (e) => e.getBoundingClientRect().right)) }));
    expect(width.page).toBeLessThanOrEqual(1400);
    expect(width.widest).toBeLessThanOrEqual(1400);

    // the selector: all runs plus each run; six runs open on the first one
    const select = page.locator('#vis-fd-trajectory select');
    expect(await select.locator('option').allTextContents()).toEqual(['all runs', ...runs.map((r) => r.name)]);
    expect(await select.inputValue()).toBe('ew');
    const points = () => page.locator('#vis-fd-trajectory path[aria-roledescription="point"]').count();
    const one = await points();
    expect(one).toBeGreaterThan(0);
    await select.selectOption('all runs');
    await expect.poll(points).toBe(one * 6);
    await select.selectOption('mgda');
    await expect.poll(points).toBe(one);
    expect(errors).toEqual([]);
    await page.close();
  });
});
