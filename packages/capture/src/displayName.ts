/**
 * Characters a name must not carry raw into a terminal, an SVG/XML document or a
 * JavaScript string: C0 and C1 controls and DEL (terminal escape sequences, and not XML
 * characters), U+2028/U+2029 (line terminators inside a JS or Vega expression string),
 * the bidirectional overrides and isolates (they reorder what a terminal shows),
 * U+FFFE/U+FFFF (not XML characters) and lone surrogates.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The same characters, for a cheap yes/no test (no lastIndex state, no new string). */
const HAS_UNSAFE = new RegExp(UNSAFE.source);

function escape(ch: string): string {
  const code = ch.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * A run, task or metric name as it may be shown anywhere (terminal, SVG, HTML, a chart's
 * expressions): every unsafe character replaced by a visible escape, `\x1b` or `\u2028`.
 * Safe names (all that capture task names allow, and ordinary run names) are unchanged.
 * For display only: files keep the name exact.
 */
export function displayName(name: string): string {
  return HAS_UNSAFE.test(name) ? name.replace(UNSAFE, escape) : name;
}

/** Text of several lines for a terminal: displayName on each line, the line breaks kept. */
export function displayLines(text: string): string {
  return text.split('\n').map(displayName).join('\n');
}
