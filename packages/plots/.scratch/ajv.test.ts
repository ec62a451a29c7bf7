import { it } from 'vitest';
import { expectValidSpec } from '../test/helpers.js';
import { buildCharts } from '../src/index.js';
import { fixtureRanking, fixtureRows } from '../test/fixtures.js';
it('ajv', () => {
  const t = Date.now();
  for (const c of buildCharts(fixtureRows(), { ranking: fixtureRanking as any })) { console.log(c.id); expectValidSpec(c.spec); }
  expectValidSpec({ mark: 'bar', encoding: { x: { field: 'a', type: 'nominalx' } } });
  console.log(Date.now() - t);
});
