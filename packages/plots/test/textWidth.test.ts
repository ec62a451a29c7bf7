import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { dejaVuWidth } from '../src/textWidth.js';

/** Ink width of a text line as resvg draws it in DejaVu Sans. */
function inkWidth(text: string, size: number, bold: boolean): number {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="60"><text x="10" y="40" font-family="DejaVu Sans" font-size="${size}"${
    bold ? ' font-weight="bold"' : ''
  }>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</text></svg>`;
  const r = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } });
  return r.getBBox()!.width;
}

describe('DejaVu Sans text widths for headless layout', () => {
  it('match the widths resvg draws, regular and bold, within a few per cent', () => {
    for (const [text, size, bold] of [
      ['training step', 12, false],
      ['FD trajectory against loss and gradient identifiers', 15, true],
      ['grad_conflict_frac (share of task pairs with cosine < 0)', 12, false],
      ['WWWW iiii 0123456789', 11, false],
    ] as const) {
      const ours = dejaVuWidth(text, size, bold);
      const drawn = inkWidth(text, size, bold);
      expect(Math.abs(ours - drawn) / drawn).toBeLessThan(0.05);
    }
  });

  it('is much closer than vega\u2019s 0.8 em per character estimate', () => {
    const text = 'rel_rate (relative inverse training rate); above 1 = the task lags';
    const drawn = inkWidth(text, 12, false);
    expect(Math.abs(dejaVuWidth(text, 12, false) - drawn)).toBeLessThan(0.25 * Math.abs(0.8 * 12 * text.length - drawn));
  });
});
