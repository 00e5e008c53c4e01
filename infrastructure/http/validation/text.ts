/**
 * What makes a string unfit to be stored as text (issue #11): characters that are invisible or rewrite the
 * text around them when printed on a label, shown in the app or exported. Returns the problem in words, or
 * null when the string is fine. Tab, line feed and carriage return are allowed (notes have lines).
 */
export function textProblem(s: string): string | null {
  if (LONE_SURROGATE.test(s)) return 'must not contain a lone surrogate (broken UTF-16)';
  if (CONTROL.test(s)) return 'must not contain control characters';
  if (BIDI_CONTROL.test(s)) return 'must not contain bidirectional overrides or isolates (U+202A–U+202E, U+2066–U+2069)';
  if (NONCHARACTER.test(s)) return 'must not contain Unicode noncharacters';
  if (s.length > 0 && s.replace(INVISIBLE, '').length === 0) return 'must not consist of invisible characters only';
  return null;
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** C0 controls except TAB, LF, CR; DEL; C1 controls. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
/** Embeddings and overrides (LRE RLE PDF LRO RLO) and isolates (LRI RLI FSI PDI). */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
/** U+FDD0–U+FDEF and the last two code points of each of the 17 planes. */
const NONCHARACTER = new RegExp(
  `[\\uFDD0-\\uFDEF${Array.from({ length: 17 }, (_, plane) => `\\u{${(plane * 0x10000 + 0xfffe).toString(16)}}\\u{${(plane * 0x10000 + 0xffff).toString(16)}}`).join('')}]`,
  'u',
);
/** White space and the zero-width characters (ZWSP, ZWNJ, ZWJ, word joiner, BOM, Mongolian vowel separator). */
const INVISIBLE = /[\s\u200B-\u200D\u2060\uFEFF\u180E]/gu;
