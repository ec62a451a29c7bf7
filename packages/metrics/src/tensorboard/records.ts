import { UserError } from '@mtl-fd/capture';
import { maskedCrc32c } from './crc32c.js';

// a record: uint64 length, uint32 masked CRC of those 8 bytes, the data, uint32 masked CRC of the data
const HEADER_BYTES = 12;
const FOOTER_BYTES = 4;

/** One record of a TFRecord / event file around `data`. */
export function frameRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + data.length + FOOTER_BYTES);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, HEADER_BYTES);
  view.setUint32(HEADER_BYTES + data.length, maskedCrc32c(data), true);
  return out;
}

/** Many records end to end, in one buffer (one write). */
export function frameRecords(datas: readonly Uint8Array[]): Uint8Array {
  const framed = datas.map(frameRecord);
  const out = new Uint8Array(framed.reduce((n, f) => n + f.length, 0));
  let at = 0;
  for (const f of framed) {
    out.set(f, at);
    at += f.length;
  }
  return out;
}

/**
 * The records of an event file's bytes, both CRCs checked. A record cut short at the
 * end is what a writer still appending leaves: it is left out and `complete` is false.
 * A wrong CRC is a UserError naming `file` and the record.
 */
export function readRecords(bytes: Uint8Array, file: string): { records: Uint8Array[]; complete: boolean } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (bytes.length - at < HEADER_BYTES) return { records, complete: false };
    const length = view.getBigUint64(at, true);
    if (view.getUint32(at + 8, true) !== maskedCrc32c(bytes.subarray(at, at + 8))) {
      throw new UserError(`${file}: record ${records.length + 1} at byte ${at}: length CRC mismatch (not an event file, or corrupted)`);
    }
    const end = at + HEADER_BYTES + Number(length);
    if (length > BigInt(bytes.length) || end + FOOTER_BYTES > bytes.length) return { records, complete: false };
    const data = bytes.subarray(at + HEADER_BYTES, end);
    if (view.getUint32(end, true) !== maskedCrc32c(data)) {
      throw new UserError(`${file}: record ${records.length + 1} at byte ${at}: data CRC mismatch (corrupted)`);
    }
    records.push(data);
    at = end + FOOTER_BYTES;
  }
  return { records, complete: true };
}
