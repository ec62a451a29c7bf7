/**
 * A seed for one labelled stream: FNV-1a over the label, then over the seed's four
 * bytes, then murmur3's finaliser so that every input bit reaches every output bit.
 * Each labelled computation gets its own reproducible stream, the same whatever
 * else is computed beside it or in which order.
 */
export function labelSeed(seed: number, label: string): number {
  let h = 0x811c9dc5;
  const step = (byte: number) => {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  };
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    step(c & 0xff);
    step(c >>> 8);
  }
  const s = Math.floor(seed) >>> 0;
  for (let k = 0; k < 32; k += 8) step((s >>> k) & 0xff);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
