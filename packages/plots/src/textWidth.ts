import * as vega from 'vega';

/**
 * Advance widths (in 1/1000 em) of DejaVu Sans and DejaVu Sans Bold for the characters of
 * CHARS, read from the fonts' hmtx tables. Headless vega has no canvas to measure text and
 * estimates 0.8 em per character, which truncates titles and spreads legends; with these
 * widths the SVG layout matches what resvg draws with DejaVu Sans.
 */
const CHARS = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\u2013\u2014\u2212\u2026\u03c4\u03c1\u00d7\u00b7\u2265\u2264\u00b0\u2192";
const REGULAR = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636,
  636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632,
  575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685,
  611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579,
  278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
  500, 1000, 838, 1000, 602, 635, 838, 318, 838, 838, 500, 838,
];
const BOLD = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696,
  696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683,
  683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771,
  724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665,
  343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
  500, 1000, 838, 1000, 638, 716, 838, 380, 838, 838, 500, 838,
];
const INDEX = new Map([...CHARS].map((c, i) => [c, i]));

interface TextItem {
  fontSize?: number | string;
  fontWeight?: number | string;
  limit?: number;
}

/** Width in pixels of `text` set in DejaVu Sans at the given size and weight. */
export function dejaVuWidth(text: string, fontSize: number, bold: boolean): number {
  const table = bold ? BOLD : REGULAR;
  let em = 0;
  for (const c of text) {
    const i = INDEX.get(c);
    em += i === undefined ? (bold ? 700 : 640) : table[i]!;
  }
  return (em / 1000) * fontSize;
}

function isBold(weight: number | string | undefined): boolean {
  if (weight === undefined) return false;
  if (typeof weight === 'number') return weight >= 600;
  return weight === 'bold' || weight === 'bolder' || Number(weight) >= 600;
}

interface TextMetrics {
  width: (item: TextItem, text: unknown) => number;
  estimateWidth: unknown;
}

let installed = false;

/**
 * Makes vega measure text with the DejaVu Sans widths when it has no canvas (Node without the
 * `canvas` package); leaves a canvas-backed measure alone. Replacing `textMetrics.width` is the
 * hook vega provides for this (vl-convert does the same).
 */
export function useDejaVuTextMetrics(): void {
  if (installed) return;
  installed = true;
  // vega's type declarations omit textMetrics, which vega-scenegraph exports
  const metrics = (vega as unknown as { textMetrics: TextMetrics }).textMetrics;
  if (metrics.width !== metrics.estimateWidth) return;
  metrics.width = (item, text) => {
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    const value = text == null ? '' : String(text).trim();
    if (size <= 0 || !value) return 0;
    const width = dejaVuWidth(value, size, isBold(item.fontWeight));
    return item.limit && item.limit > 0 ? Math.min(width, item.limit) : width;
  };
}
