// An event-file reader for the tests, independent of the writer: its own bitwise CRC32C
// (no table, no library), its own protobuf wire-format decoder, TensorFlow's field numbers.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** TensorFlow's masked CRC: rotate right 15, add 0xa282ead8. */
export function masked(bytes: Uint8Array): number {
  const c = crc32c(bytes);
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0;
}

/** The records of a file; throws on a bad CRC or a cut record. */
export function records(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  while (at < bytes.length) {
    const len = Number(dv.getBigUint64(at, true));
    if (dv.getUint32(at + 8, true) !== masked(bytes.subarray(at, at + 8))) throw new Error(`length CRC mismatch at ${at}`);
    const data = bytes.subarray(at + 12, at + 12 + len);
    if (data.length !== len || at + 16 + len > bytes.length) throw new Error(`record cut short at ${at}`);
    if (dv.getUint32(at + 12 + len, true) !== masked(data)) throw new Error(`data CRC mismatch at ${at}`);
    out.push(data);
    at += 16 + len;
  }
  return out;
}

type Field = { field: number; wire: number; varint?: bigint; bytes?: Uint8Array; fixed?: DataView };

/** A message's fields by number, in order (varints as bigint). */
export function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let at = 0;
  const varint = (): bigint => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[at++]!;
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
      shift += 7n;
    }
  };
  while (at < buf.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ field, wire, varint: varint() });
    else if (wire === 1 || wire === 5) {
      const n = wire === 1 ? 8 : 4;
      out.push({ field, wire, fixed: new DataView(buf.buffer, buf.byteOffset + at, n) });
      at += n;
    } else if (wire === 2) {
      const n = Number(varint());
      out.push({ field, wire, bytes: buf.subarray(at, at + n) });
      at += n;
    } else throw new Error(`wire type ${wire}`);
  }
  return out;
}

export interface ReadEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  scalars: { tag: string; value: number }[];
  texts: { tag: string; text: string; plugin?: string }[];
}

const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

/** Event: wall_time 1 (double), step 2, file_version 3, summary 5 -> value 1 -> tag 1, simple_value 2, tensor 8, metadata 9. */
export function decodeEvent(data: Uint8Array): ReadEvent {
  const e: ReadEvent = { wallTime: 0, step: 0, scalars: [], texts: [] };
  for (const f of fields(data)) {
    if (f.field === 1) e.wallTime = f.fixed!.getFloat64(0, true);
    else if (f.field === 2) e.step = Number(BigInt.asIntN(64, f.varint!));
    else if (f.field === 3) e.fileVersion = text(f.bytes);
    else if (f.field === 5) {
      for (const v of fields(f.bytes!).filter((x) => x.field === 1)) {
        const vf = fields(v.bytes!);
        const tag = text(vf.find((x) => x.field === 1)?.bytes);
        const simple = vf.find((x) => x.field === 2);
        const tensor = vf.find((x) => x.field === 8);
        if (simple) e.scalars.push({ tag, value: simple.fixed!.getFloat32(0, true) });
        if (tensor) {
          const meta = vf.find((x) => x.field === 9);
          const pluginData = meta ? fields(meta.bytes!).find((x) => x.field === 1) : undefined;
          const plugin = pluginData ? text(fields(pluginData.bytes!).find((x) => x.field === 1)?.bytes) : undefined;
          const tf = fields(tensor.bytes!);
          if (tf.find((x) => x.field === 1)?.varint !== 7n) throw new Error('text tensor is not DT_STRING');
          e.texts.push({ tag, text: tf.filter((x) => x.field === 8).map((x) => text(x.bytes)).join(''), ...(plugin ? { plugin } : {}) });
        }
      }
    }
  }
  return e;
}

/** Every event of every event file in `dir`, file by file in name order, with the file it came from. */
export function readEventDir(dir: string): { file: string; events: ReadEvent[] }[] {
  return readdirSync(dir)
    .filter((n) => n.startsWith('events.out.tfevents.'))
    .sort()
    .map((n) => ({ file: n, events: records(readFileSync(join(dir, n))).map(decodeEvent) }));
}
