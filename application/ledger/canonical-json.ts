/**
 * RFC 8785 canonical JSON, byte for byte what `canonicalize` of json-canonicalize 3.0.1 produces (the
 * function the hash chain was built with), only faster: the library builds a path string and a closure
 * per property and keeps a WeakMap of every object it visits, which made canonical JSON the largest
 * single cost of hashing an event (decision 0020). Same rules:
 *  - primitives, and objects with a `toJSON`, are written by JSON.stringify (RFC 8785 §3.2.2: ES number
 *    and string serialisation); a non-finite number throws;
 *  - object keys sorted by UTF-16 code units (Array#sort's default order), properties whose value is
 *    `undefined` left out;
 *  - `undefined` in an array written as null; array holes skipped (the library iterates with forEach);
 *  - a circular structure throws. (The library also throws for an object met again at a path that merely
 *    starts with an earlier path of it, e.g. one object under `base` and `baseline`; such a value had no
 *    hash before, and here gets the hash its parsed JSON would get.)
 * tests/property/canonical-json.spec.ts checks the equivalence on generated values.
 */
export function canonicalJson(value: unknown): string {
  return write(value, [], undefined);
}

/** canonicalJson of a plain object without some of its top-level keys (as if they were not there). */
export function canonicalJsonWithout(value: Record<string, unknown>, omitted: ReadonlySet<string>): string {
  return write(value, [], omitted);
}

/** Characters JSON.stringify escapes (quote, backslash, controls) or may (lone surrogates): the slow path. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify of a string, without the call into the engine's serializer for the common plain string. */
function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

function write(value: unknown, ancestors: object[], omitted: ReadonlySet<string> | undefined): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'string') return quote(value);
    if (typeof value === 'number' && Number.isFinite(value)) return String(value); // = JSON.stringify (-0 → "0")
    if (typeof value === 'boolean') return value ? 'true' : 'false';
    if (typeof value === 'number') throw new Error(`Non-finite number (${value}) is not permitted in JSON (RFC 8785 §3.2.2.3)`);
    return String(JSON.stringify(value)); // undefined, a function or a symbol: the library writes "undefined"
  }
  if (typeof (value as { toJSON?: unknown }).toJSON !== 'undefined' && (value as { toJSON?: unknown }).toJSON !== null) return String(JSON.stringify(value));
  if (ancestors.includes(value)) throw new Error('Circular reference detected');
  ancestors.push(value);
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    let first = true;
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) continue;
      const element: unknown = value[i];
      out += (first ? '' : ',') + write(element === undefined ? null : element, ancestors, undefined);
      first = false;
    }
    out += ']';
  } else {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    out = '{';
    let first = true;
    for (const key of keys) {
      const v = record[key];
      if (v === undefined || omitted?.has(key)) continue;
      out += (first ? '' : ',') + quote(key) + ':' + write(v, ancestors, undefined);
      first = false;
    }
    out += '}';
  }
  ancestors.pop();
  return out;
}
