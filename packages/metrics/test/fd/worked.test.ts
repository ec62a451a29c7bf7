import { describe, expect, it } from 'vitest';
import { computeFd } from '../../src/fd/computeFd.js';
import type { Granularity, Saliency } from '../../src/options/scoreOptions.js';
import { upperPairs, type ReferenceFd } from '../../../../test/support/referenceFd.js';
import { WORKED } from './worked.js';
import '../../../../test/support/tolerance.js';

const TABLE: (ReferenceFd & { granularity: Granularity; saliency: Saliency })[] = [
  { granularity: 'element', saliency: 'grad', fd: 0.621442, fd_mass: 0.639469, fd_task: [0.36907, 0.684535, 0.819734], fd_pair: [0.428571, 0.692308, 1], dead: 1, units: 6 },
  { granularity: 'element', saliency: 'grad_x_act', fd: 0.621442, fd_mass: 0.596906, fd_task: [0.36907, 0.657495, 0.819734], fd_pair: [0.344828, 0.783784, 1], dead: 1, units: 6 },
  { granularity: 'channel', saliency: 'grad', fd: 0.362735, fd_mass: 0.373434, fd_task: [0.390868, 0.422867, 0.301996], fd_pair: [0.227649, 0.392297, 0.739991], dead: 0, units: 3 },
  { granularity: 'channel', saliency: 'grad_x_act', fd: 0.422221, fd_mass: 0.419976, fd_task: [0.408373, 0.414919, 0.451682], fd_pair: [0.131199, 0.653123, 0.901337], dead: 0, units: 3 },
];

describe('FD worked example (docs/metrics.md §9)', () => {
  for (const row of TABLE) {
    it(`${row.granularity}, ${row.saliency}`, () => {
      const s = computeFd({ features: WORKED.z, grads: WORKED.g, shape: WORKED.shape, layout: 'NC' }, row);
      // the table is printed to 6 decimals: half a unit in the last place
      expect(s.fd).toBeRelClose(row.fd, 0, 5e-7);
      expect(s.fd_mass).toBeRelClose(row.fd_mass, 0, 5e-7);
      expect(s.fd_task).toBeRelClose(row.fd_task, 0, 5e-7);
      expect(upperPairs(s.fd_pair)).toBeRelClose(row.fd_pair, 0, 5e-7);
      expect(s.dead_units).toBe(row.dead);
      expect(s.units).toBe(row.units);
      for (let t = 0; t < 3; t++) expect(s.fd_pair[t]![t]).toBe(1);
    });
  }
});
