// Plain references for the ranking tests, written from the definitions and
// nothing else: every ordering by recursion, tau-b by counting pairs.

/** Every ordering of the indices 0..n-1 (n! of them). */
export function allOrderings(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (const rest of allOrderings(n - 1)) {
    for (let pos = 0; pos <= rest.length; pos++) out.push([...rest.slice(0, pos), n - 1, ...rest.slice(pos)]);
  }
  return out;
}

/** Kendall's tau-b by its definition: (concordant - discordant) / sqrt((pairs - x ties)(pairs - y ties)); NaN when undefined. */
export function tauBByPairs(x: readonly number[], y: readonly number[]): number {
  let conc = 0;
  let disc = 0;
  let xTies = 0;
  let yTies = 0;
  let pairs = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      pairs++;
      const dx = x[i]! - x[j]!;
      const dy = y[i]! - y[j]!;
      if (dx === 0) xTies++;
      if (dy === 0) yTies++;
      if (dx * dy > 0) conc++;
      if (dx * dy < 0) disc++;
    }
  }
  return (conc - disc) / Math.sqrt((pairs - xTies) * (pairs - yTies));
}

/** The share of all orderings of x against y whose tau-b is at least the observed one. */
export function pValueByEnumeration(x: readonly number[], y: readonly number[]): number {
  const observed = tauBByPairs(x, y);
  const orderings = allOrderings(x.length);
  let atLeast = 0;
  for (const o of orderings) if (tauBByPairs(o.map((i) => x[i]!), y) >= observed - 1e-12) atLeast++;
  return atLeast / orderings.length;
}
