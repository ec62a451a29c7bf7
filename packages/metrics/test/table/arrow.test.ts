import { describe, expect, it } from 'vitest';
import { fromArrow } from 'arquero';
import { tableFromIPC, Type } from '@uwdata/flechette';
import { toArrowIPC } from '../../src/table/arrow.js';
import type { TidyRow } from '../../src/table/types.js';
import { EDGE_ROWS } from './edgeRows.js';

const rows = EDGE_ROWS;

describe('toArrowIPC', () => {
  it('round-trips the tidy table through arquero fromArrow (file format)', () => {
    const back = fromArrow(toArrowIPC(rows)).objects() as TidyRow[];
    expect(back).toEqual(rows.map((r) => ({ ...r, value: r.value === null || !Number.isFinite(r.value) ? null : r.value })));
  });

  it('writes the stream format on request, readable the same way', () => {
    const bytes = toArrowIPC(rows, { format: 'stream' });
    // the file format starts with the magic ARROW1, the stream format does not
    expect(new TextDecoder().decode(bytes.subarray(0, 6))).not.toBe('ARROW1');
    expect(new TextDecoder().decode(toArrowIPC(rows).subarray(0, 6))).toBe('ARROW1');
    expect(fromArrow(bytes).numRows()).toBe(rows.length);
  });

  it('has a fixed schema whatever the values, and carries metadata', () => {
    const options = JSON.stringify({ saliency: 'grad', granularity: 'channel', temperature: 0 });
    for (const data of [rows, [rows[0] as TidyRow], []]) {
      const t = tableFromIPC(toArrowIPC(data, { metadata: { 'mtl-fd.options': options } }));
      expect(t.numRows).toBe(data.length);
      expect(t.schema.fields.map((f) => f.name)).toEqual(['run', 'step', 'metric', 'task', 'task_b', 'value']);
      const types = Object.fromEntries(t.schema.fields.map((f) => [f.name, f.type as { typeId: number; bitWidth?: number; dictionary?: { typeId: number } }]));
      for (const name of ['run', 'metric', 'task', 'task_b']) {
        expect(types[name]?.typeId).toBe(Type.Dictionary);
        expect(types[name]?.dictionary?.typeId).toBe(Type.Utf8);
      }
      expect(types.step).toMatchObject({ typeId: Type.Int, bitWidth: 64 });
      expect(types.value?.typeId).toBe(Type.Float);
      expect(t.schema.metadata?.get('mtl-fd.options')).toBe(options);
    }
  });
});
