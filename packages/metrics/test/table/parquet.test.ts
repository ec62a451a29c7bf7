import { describe, expect, it } from 'vitest';
// read back with a different library from the writer (hyparquet-writer)
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { toParquet } from '../../src/table/parquet.js';
import { EDGE_ROWS } from './edgeRows.js';

const rows = EDGE_ROWS;

const buffer = (bytes: Uint8Array): ArrayBuffer => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

describe('toParquet', () => {
  it('round-trips the tidy table through hyparquet, non-finite values as null', async () => {
    const back = await parquetReadObjects({ file: buffer(toParquet(rows)) });
    expect(back.map((r) => ({ ...r, step: Number(r.step) }))).toEqual(
      rows.map((r) => ({ ...r, value: r.value === null || !Number.isFinite(r.value) ? null : r.value })),
    );
  });

  it('has a fixed schema (strings, INT64 step, optional DOUBLE value) and carries key-value metadata', () => {
    const bytes = toParquet([], { metadata: { 'mtl-fd.options': '{"saliency":"grad"}' } });
    const meta = parquetMetadata(buffer(bytes));
    expect(meta.key_value_metadata).toContainEqual({ key: 'mtl-fd.options', value: '{"saliency":"grad"}' });
    const cols = parquetSchema(meta).children.map((c) => [c.element.name, c.element.type, c.element.repetition_type]);
    expect(cols).toEqual([
      ['run', 'BYTE_ARRAY', 'REQUIRED'],
      ['step', 'INT64', 'REQUIRED'],
      ['metric', 'BYTE_ARRAY', 'REQUIRED'],
      ['task', 'BYTE_ARRAY', 'REQUIRED'],
      ['task_b', 'BYTE_ARRAY', 'REQUIRED'],
      ['value', 'DOUBLE', 'OPTIONAL'],
    ]);
  });

  it('gives the same bytes for the same rows', () => {
    expect(Buffer.from(toParquet(rows)).equals(Buffer.from(toParquet([...rows])))).toBe(true);
  });
});
