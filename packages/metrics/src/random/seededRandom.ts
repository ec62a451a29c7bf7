/**
 * A small seeded PRNG (mulberry32, its seed mixed splitmix32-style so that nearby
 * seeds give unrelated streams): the same seed always gives the same stream, on
 * every machine. The demo draws from it too, as do the tests (plain mulberry32 through fromState)
 * and the Monte Carlo and bootstrap of the ranking table.
 */
export class SeededRandom {
  private state: number;

  /**
   * The generator whose internal state is `state` as given, with no seed mixing: plain
   * mulberry32, the stream the tests' fixtures were generated from.
   */
  static fromState(state: number): SeededRandom {
    const r = new SeededRandom(0);
    r.state = state >>> 0;
    return r;
  }

  constructor(seed: number) {
    let s = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
    s = Math.imul(s ^ (s >>> 16), 0x85ebca6b) >>> 0;
    s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35) >>> 0;
    this.state = (s ^ (s >>> 16)) >>> 0;
  }

  /** uniform in [0, 1) */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** integer in [0, n) */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** a seed for a tfjs initialiser (a positive 31-bit integer) */
  seed(): number {
    return 1 + this.int(0x7ffffffe);
  }

  /** Fisher-Yates shuffle in place */
  shuffle<T>(a: T[] | Int32Array | Uint32Array | Float64Array): typeof a {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
    return a;
  }

  /** a child generator with its own stream, derived from this one */
  fork(): SeededRandom {
    return new SeededRandom(this.int(0x7fffffff));
  }
}
