import fc from 'fast-check';
import { createHash, createHmac } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import { canonicalJson } from '../../application/ledger/canonical-json';
import { canonicalEventJson, computeEventHash, GENESIS_HASH } from '../../application/ledger/event-hash';
import { fingerprintKey, requestFingerprint } from '../../application/ledger/idempotency';

/**
 * The ledger's own RFC 8785 serialiser must write exactly the bytes json-canonicalize wrote when the hash
 * chain was built (decision 0020): any difference would break the verification of every stored event.
 */
describe('canonicalJson (RFC 8785) is byte-identical to json-canonicalize', () => {
  // Strings over the whole UTF-16 range, lone surrogates and control characters included; keys too.
  const text = fc.string({ unit: 'binary', maxLength: 12 });
  const number = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.constantFrom(0, -0, 1e21, 1e-7, 5e-324, 2 ** 53, -1.5));
  const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.boolean(), number, text, tie('array'), tie('object')),
    array: fc.array(fc.oneof(tie('value'), fc.constant(undefined)), { maxLength: 5 }),
    object: fc.dictionary(text, fc.oneof(tie('value'), fc.constant(undefined)), { maxKeys: 6 }),
  })).value;

  it('on generated JSON values (with undefined members and elements)', () => {
    fc.assert(fc.property(json, (v) => expect(canonicalJson(v)).toBe(canonicalize(v))), { numRuns: 2000 });
  });

  /** A copy with every object's keys inserted in sorted order (undefined members and elements kept): the values the JSON.stringify fast path takes. */
  const keysInOrder = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(keysInOrder);
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = keysInOrder((v as Record<string, unknown>)[k]);
    return out;
  };

  it('on generated JSON values whose keys are already in canonical order (the JSON.stringify fast path), nested in unordered ones', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        const ordered = keysInOrder(a);
        expect(canonicalJson(ordered)).toBe(canonicalize(ordered));
        const mixed = { z: ordered, a: [ordered, b], m: { y: b, b: ordered } };
        expect(canonicalJson(mixed)).toBe(canonicalize(mixed));
      }),
      { numRuns: 2000 },
    );
  });

  it('on event envelopes, and the hash is the sha256 of the library bytes minus hash and position', () => {
    const envelope = fc.record({
      eventId: fc.uuid(),
      type: text,
      schemaVersion: fc.integer({ min: 1, max: 3 }),
      streamId: text,
      revision: fc.nat(),
      occurredAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      recordedAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      actor: fc.record({ userId: text, orgId: text, role: text, regionCode: text }),
      commandId: text,
      correlationId: text,
      causationId: fc.option(text, { nil: null }),
      data: fc.dictionary(text, json),
      prevHash: fc.constant(GENESIS_HASH),
      hash: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
      position: fc.nat(),
    });
    fc.assert(
      fc.property(envelope, (e) => {
        const { hash: _h, position: _p, ...hashed } = e;
        const bytes = canonicalize(hashed);
        expect(canonicalEventJson(e as never)).toBe(bytes);
        expect(computeEventHash(e as never)).toBe(createHash('sha256').update(bytes, 'utf8').digest('hex'));
      }),
      { numRuns: 500 },
    );
  });

  it('request fingerprints (idempotency, decision 0010) are the HMAC of the library bytes, as stored before', () => {
    const key = fingerprintKey('installation-secret');
    fc.assert(
      fc.property(text, json, (type, input) => {
        const plain = JSON.parse(JSON.stringify({ type, input: input ?? null }));
        expect(requestFingerprint(key, type, input)).toBe(createHmac('sha256', key).update(canonicalize(plain), 'utf8').digest('hex'));
      }),
      { numRuns: 300 },
    );
  });

  it('the same edge cases as the library: dates, non-finite numbers, circular values, holes', () => {
    const date = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(canonicalJson({ at: date, n: -0 })).toBe(canonicalize({ at: date, n: -0 }));
    const holes = [1, , 3];
    expect(canonicalJson(holes)).toBe(canonicalize(holes));
    expect(() => canonicalJson({ n: Number.POSITIVE_INFINITY })).toThrow(/Non-finite/);
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/Non-finite/);
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = loop;
    expect(() => canonicalJson(loop)).toThrow(/Circular/);
    // The same cases inside objects whose keys are in order (the fast path must give them to the slow one).
    expect(canonicalJson({ a: { at: date }, b: -0 })).toBe(canonicalize({ a: { at: date }, b: -0 }));
    expect(canonicalJson({ a: [1, , 3] })).toBe(canonicalize({ a: [1, , 3] }));
    expect(canonicalJson({ a: { b: undefined, c: [undefined] } })).toBe(canonicalize({ a: { b: undefined, c: [undefined] } }));
    expect(() => canonicalJson({ a: { n: Number.NaN } })).toThrow(/Non-finite/);
    const orderedLoop: Record<string, unknown> = { a: 1 };
    orderedLoop.b = orderedLoop;
    expect(() => canonicalJson({ x: orderedLoop })).toThrow(/Circular/);
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: [shared, shared] })).toBe(canonicalize({ a: shared, b: [shared, shared] }));
  });
});
