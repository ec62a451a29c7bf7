/** A tensor's place in a safetensors file to be written, before any of its data. */
export interface TensorLayout {
  name: string;
  /** a safetensors dtype name: F32, F16, BF16, F64, I32, ... */
  dtype: string;
  shape: number[];
  byteLength: number;
}

/**
 * The start of a safetensors file: the 8-byte little-endian header length, then the JSON
 * header (`__metadata__` first when given, then each tensor with its `data_offsets`, in
 * the order given, the data packed back to back), padded with spaces to a multiple of
 * 8 bytes so the data section starts aligned, as the reference writer does. The one
 * safetensors writer of mtl-fd: captures and probe files both lay out through it.
 */
export function safetensorsPrefix(tensors: readonly TensorLayout[], metadata?: Record<string, string>): { prefix: Uint8Array; dataBytes: number } {
  const json: Record<string, unknown> = {};
  if (metadata !== undefined) json.__metadata__ = metadata;
  let position = 0;
  for (const t of tensors) {
    json[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [position, position + t.byteLength] };
    position += t.byteLength;
  }
  const textBytes = new TextEncoder().encode(JSON.stringify(json));
  const headerLength = Math.ceil(textBytes.byteLength / 8) * 8;
  const prefix = new Uint8Array(8 + headerLength).fill(0x20, 8);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(headerLength), true);
  prefix.set(textBytes, 8);
  return { prefix, dataBytes: position };
}
