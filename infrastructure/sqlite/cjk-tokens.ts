/**
 * Chinese-aware tokens for the FTS5 search index (the same idea as Elasticsearch's cjk_bigram filter).
 *
 * Chinese has no spaces, so a run of Han characters is indexed as its unigrams and overlapping bigrams:
 * 海南省三亚市 → 海 南 省 三 亚 市 海南 南省 省三 三亚 亚市. A query of two or more Han characters becomes
 * its bigrams (all must be present), so 豇豆, 海南 and 海南省 find documents that contain them, without
 * a dictionary; a one-character query uses the unigram. There are no whole-sentence tokens.
 *
 * Latin letters and digits form whole words, case- and width-folded (ＡＢＣ１２ → abc12) and without
 * diacritics. Codes written in groups — trace codes `110101-261123-7K3QX-0001-ABCD`, e-IDs — are indexed
 * as their groups and as the compact whole, and a query for a grouped code asks for the compact whole:
 * the code is found whether typed with hyphens or without.
 *
 * Every token is made of letters, digits and Han characters only, so FTS5's `ascii` tokenizer over the
 * space-joined tokens keeps each one intact.
 */

/** A Han run, or a word of non-Han letters/digits, possibly grouped with '-' or '_' (codes). */
const PIECE = /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{N}])+(?:[-_](?:(?!\p{Script=Han})[\p{L}\p{N}])+)*)/gu;
const GROUP_SEPARATOR = /[-_]/;

function fold(text: string): string {
  // NFKD then drop combining marks (café → cafe), NFKC folds full-width forms (ＡＢＣ１２ → ABC12).
  return text.normalize('NFKD').replace(/\p{M}/gu, '').normalize('NFKC').toLowerCase();
}

/** Tokens of a document field: unigrams + bigrams of Han runs, words, code groups and compact codes. */
export function documentTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const match of fold(text).matchAll(PIECE)) {
    const [, han, word] = match;
    if (han) {
      const chars = Array.from(han);
      tokens.push(...chars);
      for (let i = 0; i + 1 < chars.length; i++) tokens.push(chars[i]! + chars[i + 1]!);
    } else if (word) {
      const groups = word.split(GROUP_SEPARATOR);
      tokens.push(...groups);
      if (groups.length > 1) tokens.push(groups.join(''));
    }
  }
  return tokens;
}

/** Tokens a query must all match: bigrams of Han runs (the unigram for a lone character), words, compact codes. */
export function queryTokens(text: string): string[] {
  const tokens = new Set<string>();
  for (const match of fold(text).matchAll(PIECE)) {
    const [, han, word] = match;
    if (han) {
      const chars = Array.from(han);
      if (chars.length === 1) tokens.add(chars[0]!);
      for (let i = 0; i + 1 < chars.length; i++) tokens.add(chars[i]! + chars[i + 1]!);
    } else if (word) {
      tokens.add(word.split(GROUP_SEPARATOR).join(''));
    }
  }
  return [...tokens];
}

/** An FTS5 MATCH expression requiring every token (each quoted, so no token is read as an operator). */
export function matchExpression(tokens: string[]): string {
  return tokens.map((t) => `"${t.replace(/"/g, '""')}"`).join(' AND ');
}
