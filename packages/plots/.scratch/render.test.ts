import { writeFileSync } from 'node:fs';
import { it } from 'vitest';
import { fdTrajectorySpec } from '../src/charts/trajectory.js';
import { pairMatrixSpec, pairEvolutionSpec } from '../src/charts/pairs.js';
import { renderSvg, svgToPng } from '../src/render.js';
import { fixtureRows } from '../test/fixtures.js';
const specs: Record<string, any> = {
  traj: fdTrajectorySpec(fixtureRows()),
  pairfd: pairMatrixSpec(fixtureRows(), 'fd_pair'),
  paircos: pairMatrixSpec(fixtureRows(), 'grad_cos', { step: 120 }),
  evofd: pairEvolutionSpec(fixtureRows(), 'fd_pair'),
  evocos: pairEvolutionSpec(fixtureRows(), 'grad_cos'),
};
it('scratch', async () => {
  for (const [k, spec] of Object.entries(specs)) {
    const svg = await renderSvg(spec, (m) => console.log('WARN', k, m));
    writeFileSync(`/tmp/plots-scratch/${k}.svg`, svg);
    writeFileSync(`/tmp/plots-scratch/${k}.png`, svgToPng(svg));
  }
});
import { taskOwnershipSpec } from '../src/charts/ownership.js';
specs.own = taskOwnershipSpec(fixtureRows());
specs.own2 = taskOwnershipSpec(fixtureRows().filter((r) => r.metric !== 'grad_norm_share' && r.run === 'dominant'));
import { rankingSimilaritySpec } from '../src/charts/ranking.js';
import { fixtureRanking } from '../test/fixtures.js';
import { parseRanking } from '../src/ranking.js';
specs.rank = rankingSimilaritySpec(parseRanking(fixtureRanking));
specs.rank1 = rankingSimilaritySpec(parseRanking(fixtureRanking[0]));
