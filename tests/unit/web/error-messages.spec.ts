import * as fs from 'node:fs';
import * as path from 'node:path';
import { en } from '../../../web/src/i18n/en';
import { zh } from '../../../web/src/i18n/zh';

/**
 * The web app never shows the server's own text: it says an API refusal by its stable `error` code
 * (`errorCode.<CODE>` in both dictionaries). This test collects every code the server can answer with from
 * the sources, so a new code without a message in either language fails here rather than in front of a user.
 */
const ROOT = path.resolve(__dirname, '../../..');
const SOURCE_DIRS = ['domain', 'application', 'infrastructure', 'projections'];

/** Where a code is written as a literal: the first argument of an error, `super('CODE'`, or an error body. */
const CODE_PATTERNS: RegExp[] = [
  /new\s+(?:BusinessRuleError|DomainError)\(\s*'([A-Z][A-Z0-9_]+)'/g,
  /new\s+RequestRejected\(\s*\d{3}\s*,\s*'([A-Z][A-Z0-9_]+)'/g,
  /\bsuper\(\s*'([A-Z][A-Z0-9_]+)'/g,
  /\berror:\s*'([A-Z][A-Z0-9_]+)'/g,
];

/**
 * Codes chosen at run time, not written as the first argument: LoginRefusedError picks one of three by its
 * reason; the exception filter maps Nest's HTTP exceptions by status (its literals are scanned too, below).
 */
const DYNAMIC_CODES = ['BAD_CREDENTIALS', 'ACCOUNT_LOCKED', 'ACCOUNT_DISABLED', 'NOT_FOUND', 'TOO_MANY_REQUESTS', 'FORBIDDEN', 'UNAUTHORIZED', 'HTTP_ERROR', 'INTERNAL'];
const FILTER = 'infrastructure/http/errors/domain-exception.filter.ts';

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

function serverErrorCodes(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of SOURCE_DIRS.flatMap((d) => sourceFiles(path.join(ROOT, d)))) {
    const text = fs.readFileSync(file, 'utf8');
    for (const pattern of CODE_PATTERNS) for (const m of text.matchAll(pattern)) if (!found.has(m[1]!)) found.set(m[1]!, path.relative(ROOT, file));
  }
  // Every upper-case literal in the filter is a code it answers with (its 403 set, the mapped statuses).
  for (const m of fs.readFileSync(path.join(ROOT, FILTER), 'utf8').matchAll(/'([A-Z][A-Z0-9_]{2,})'/g)) if (!found.has(m[1]!)) found.set(m[1]!, FILTER);
  for (const code of DYNAMIC_CODES) if (!found.has(code)) found.set(code, 'fixed list');
  return found;
}

describe('every API error code has a message in the web app', () => {
  const codes = serverErrorCodes();

  it('finds the codes (the scan itself works)', () => {
    // The classes' own codes and a few well-known business rules: if these vanish, the patterns broke.
    for (const code of ['VALIDATION_FAILED', 'INVALID_STATE', 'NOT_FOUND', 'INSUFFICIENT_QUANTITY', 'RECALL_EXCEEDS_HOLDING', 'PAYLOAD_TOO_LARGE', 'OUT_OF_SCOPE', 'IDEMPOTENCY_KEY_REUSED', 'CONCURRENCY_CONFLICT', 'STORAGE_FULL'])
      expect(codes.has(code)).toBe(true);
    expect(codes.size).toBeGreaterThan(30);
  });

  it.each([
    ['zh', zh as Record<string, string>],
    ['en', en as Record<string, string>],
  ])('%s has errorCode.<CODE> for each', (_lang, dict) => {
    const missing = [...codes].filter(([code]) => !dict[`errorCode.${code}`]?.trim()).map(([code, where]) => `${code} (${where})`);
    expect(missing).toEqual([]);
  });

  it('the two dictionaries name the same codes', () => {
    const keys = (d: object) => Object.keys(d).filter((k) => k.startsWith('errorCode.')).sort();
    expect(keys(en)).toEqual(keys(zh));
  });
});
