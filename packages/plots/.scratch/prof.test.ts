import { it } from 'vitest';
import { buildCharts, renderSvg, svgToPng } from '../src/index.js';
import { reportHtml } from '../src/report/html.js';
import { fixtureRanking, fixtureRows } from '../test/fixtures.js';
it('prof', async () => {
  for (let round = 0; round < 2; round++) {
    for (const c of buildCharts(fixtureRows(), { ranking: fixtureRanking as any })) {
      let t = performance.now();
      const svg = await renderSvg(c.spec!);
      const a = performance.now() - t; t = performance.now();
      svgToPng(svg, { scale: 2 });
      const b = performance.now() - t; t = performance.now();
      svgToPng(svg, { scale: 1 });
      console.log(c.id, a.toFixed(0), b.toFixed(0), (performance.now() - t).toFixed(0));
    }
  }
});
