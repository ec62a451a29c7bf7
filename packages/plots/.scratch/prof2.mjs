import { Resvg } from '@resvg/resvg-js';
const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600"><text x="4" y="28" font-size="24">Disentangle</text></svg>';
for (const opts of [{ loadSystemFonts: true }, { loadSystemFonts: false, fontFiles: ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'] }]) {
  const t = performance.now();
  for (let i = 0; i < 10; i++) new Resvg(svg, { font: { ...opts, defaultFontFamily: 'DejaVu Sans' }, fitTo: { mode: 'zoom', value: 2 } }).render().asPng();
  console.log(JSON.stringify(opts).slice(0, 30), ((performance.now() - t) / 10).toFixed(1), 'ms');
}
