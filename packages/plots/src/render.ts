import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { useDejaVuTextMetrics } from './textWidth.js';
import { FONT_FAMILY } from './theme.js';

/** Compiles a Vega-Lite spec to a Vega spec; Vega-Lite warnings go to `warn` (default: dropped). */
export function toVega(spec: TopLevelSpec, warn?: (message: string) => void): vega.Spec {
  const logger = {
    level: () => logger,
    error: (...args: readonly unknown[]) => {
      throw new Error(`Vega-Lite: ${args.map(String).join(' ')}`);
    },
    warn: (...args: readonly unknown[]) => {
      warn?.(args.map(String).join(' '));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return compile(spec, { logger: logger as never }).spec as vega.Spec;
}

/**
 * Renders a Vega-Lite spec to SVG headless (vega View with renderer 'none', `toSVG()`).
 * The output is deterministic: vega's process-wide clip-path counters are renumbered in order.
 */
export async function renderSvg(spec: TopLevelSpec, warn?: (message: string) => void): Promise<string> {
  useDejaVuTextMetrics();
  const view = new vega.View(vega.parse(toVega(spec, warn)), { renderer: 'none', logLevel: vega.Error });
  try {
    return normalizeSvg(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/** Renumbers vega's generated ids (clip0, clip17, ...) by order of first appearance. */
export function normalizeSvg(svg: string): string {
  const ids = new Map<string, string>();
  const counts = new Map<string, number>();
  return svg.replace(/(id="|url\(#)(clip|gradient|pattern)(\d+)/g, (_match, lead: string, prefix: string, n: string) => {
    const key = `${prefix}${n}`;
    let id = ids.get(key);
    if (id === undefined) {
      const next = (counts.get(prefix) ?? 0) + 1;
      counts.set(prefix, next);
      id = `${prefix}${next}`;
      ids.set(key, id);
    }
    return `${lead}${id}`;
  });
}

export interface PngOptions {
  /** pixel ratio (default 2) */
  scale?: number;
  /** extra font files to load besides the system fonts */
  fontFiles?: string[];
}

function resvg(svg: string, options: PngOptions): Resvg {
  return new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    font: {
      loadSystemFonts: true,
      fontFiles: options.fontFiles ?? [],
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
    shapeRendering: 2,
    textRendering: 1,
  });
}

/**
 * Rasterises an SVG to PNG with resvg, loading the system fonts with DejaVu Sans as the default
 * and sans-serif family (fonts-dejavu-core is on every Debian/Ubuntu image; elsewhere pass
 * `fontFiles`).
 */
export function svgToPng(svg: string, options: PngOptions = {}): Buffer {
  return resvg(svg, options).render().asPng();
}

/** Rasterises an SVG to raw RGBA pixels (the same renderer and fonts as svgToPng). */
export function rasterize(svg: string, options: PngOptions = {}): { width: number; height: number; pixels: Buffer } {
  const image = resvg(svg, options).render();
  return { width: image.width, height: image.height, pixels: image.pixels };
}
