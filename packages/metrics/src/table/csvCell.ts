/**
 * A text cell a spreadsheet would run as a formula: one starting with `=`, `+`, `-`, `@`,
 * a tab or a carriage return (OWASP, "CSV Injection"), after any number of leading `'`.
 * Counting the quotes makes the guard reversible: the writer adds one `'`, the reader
 * takes one away, so a name that already starts with `'=` comes back exactly.
 */
const FORMULA_LIKE = /^'*[=+\-@\t\r]/;

/**
 * One CSV cell: null empty; a number in JavaScript's shortest round-trip form (never
 * guarded: `-0.5` stays a number); text behind a leading `'` when it starts like a
 * formula, then quoted when it holds a comma, a quote or a line break.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_LIKE.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A text cell as written before csvField guarded it (one leading `'` off a formula-like cell). */
export function csvText(cell: string): string {
  return cell.startsWith("'") && FORMULA_LIKE.test(cell) ? cell.slice(1) : cell;
}
