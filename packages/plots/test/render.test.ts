import { describe, expect, it } from 'vitest';
import type { TopLevelSpec } from 'vega-lite';
import { normalizeSvg, rasterize, renderSvg, svgToPng } from '../src/render.js';

const spec = {
  data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] },
  mark: 'line',
  encoding: { x: { field: 'x', type: 'quantitative', title: 'step' }, y: { field: 'y', type: 'quantitative', title: 'value' } },
} as TopLevelSpec;

/** Share of pixels darker than light grey. */
function inkShare(svg: string): number {
  const { pixels } = rasterize(svg, { scale: 1 });
  let ink = 0;
  for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! + pixels[i + 1]! + pixels[i + 2]! < 3 * 160) ink++;
  return ink / (pixels.length / 4);
}

describe('headless rendering', () => {
  it('renders a spec to the same SVG every time, whatever ran before', async () => {
    // clipped marks make vega number clip paths from a process-wide counter
    const clipped = { ...spec, mark: { type: 'line', clip: true } } as TopLevelSpec;
    const a = await renderSvg(clipped);
    await renderSvg({ ...spec, mark: { type: 'bar', clip: true } } as TopLevelSpec);
    const b = await renderSvg(clipped);
    expect(a).toBe(b);
    expect(a).toMatch(/^<svg/);
    expect(a).toContain('clip-path="url(#clip1)"');
  });

  it('renumbers vega clip ids by first appearance', () => {
    const svg = '<clipPath id="clip17"/><g clip-path="url(#clip17)"/><clipPath id="clip9"/><g clip-path="url(#clip9)"/>';
    expect(normalizeSvg(svg)).toBe('<clipPath id="clip1"/><g clip-path="url(#clip1)"/><clipPath id="clip2"/><g clip-path="url(#clip2)"/>');
  });

  it('writes a PNG at pixel ratio 2 by default, or the one asked for', async () => {
    const svg = await renderSvg(spec);
    const png = svgToPng(svg);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const width = Number(/width="(\d+)"/.exec(svg)![1]);
    expect(png.readUInt32BE(16)).toBe(2 * width);
    expect(svgToPng(svg, { scale: 1 }).readUInt32BE(16)).toBe(width);
  });

  it('draws text with the system fonts, also for an unnamed or generic family', () => {
    const text = (family: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="4" y="28" font-size="24"${family}>Disentangle</text></svg>`;
    const blank = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"></svg>';
    expect(inkShare(blank)).toBe(0);
    for (const family of ['', ' font-family="DejaVu Sans"', ' font-family="sans-serif"', ' font-family="NoSuchFont, sans-serif"']) {
      expect(inkShare(text(family))).toBeGreaterThan(0.03);
    }
  });
});
