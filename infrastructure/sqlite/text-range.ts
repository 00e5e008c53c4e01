/**
 * Prefix matching as an index range. SQLite compares TEXT (BINARY collation) by UTF-8 bytes, which is
 * code-point order; the strings starting with `prefix` are exactly those >= prefix and < the prefix with
 * its last code point incremented. Unlike `LIKE 'p%'` this uses the index and has no wildcard escaping.
 */
export function prefixUpperBound(prefix: string): string | null {
  const codePoints = Array.from(prefix);
  while (codePoints.length > 0) {
    const last = codePoints.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      // Skip the surrogate block: those code points cannot appear in well-formed text.
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return codePoints.join('') + String.fromCodePoint(next);
    }
    // U+10FFFF cannot be incremented: carry into the previous code point.
  }
  return null; // the empty prefix (or only U+10FFFF): no upper bound
}

/** SQL condition `expr` starts with the bound prefix; params are appended to `params`. */
export function prefixCondition(expr: string, prefix: string, params: unknown[]): string {
  const upper = prefixUpperBound(prefix);
  params.push(prefix);
  if (upper === null) return `${expr} >= ?`;
  params.push(upper);
  return `(${expr} >= ? AND ${expr} < ?)`;
}

/** A single-quoted SQL string literal (for JSON paths that must appear verbatim to match expression indexes). */
export function sqlStringLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A double-quoted SQL identifier. */
export function sqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
