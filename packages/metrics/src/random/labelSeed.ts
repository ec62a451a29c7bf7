/**
 * A seed for one labelled stream (FNV-1a over the label, mixed with `seed`): each
 * labelled computation gets its own reproducible stream, the same whatever else
 * is computed beside it or in which order.
 */
export function labelSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ Math.floor(seed)) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
