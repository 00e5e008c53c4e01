import * as fs from 'node:fs';
import { eventHashId, eventPreHash, prefixesOf, canonicalTime } from '../../../../application/reports/epcis/event-hash';
import { canonicalIdentifier, gs1CheckDigit } from '../../../../application/reports/epcis/digital-link';
import { interopAvailable, interopFile } from './support/interop';

/**
 * The CBV 2.0 event hash against the reference vectors (RalphTro/epcis-event-hash-generator, tests/examples).
 * Every JSON-LD vector must reproduce, except the ones listed here with the reason; those are asserted to still
 * differ, so the list cannot go stale. XML-only vectors are out of scope (we hash our own JSON-LD events).
 */
const NOT_REPRODUCED: Record<string, { events: number[]; why: string }> = {
  epcisDocHavingEventWithIgnoreFields: {
    events: [0],
    why: 'expects the user extensions example:captureID and repository-x:hash left out (the reference tool’s own ignore list, not a CBV 2.0 rule)',
  },
  epcisQueryDocHavingEventWithIgnoreFields: { events: [0], why: 'the same ignore list as above, in a query document' },
};

const run = interopAvailable('CBV 2.0 event hash vectors') ? describe : describe.skip;
const dir = 'epcis-event-hash-vectors/tests/examples';

function vectors() {
  return fs
    .readdirSync(interopFile(dir))
    .filter((f) => f.endsWith('.jsonld') && fs.existsSync(interopFile(`${dir}/${f.replace(/\.jsonld$/, '.hashes')}`)))
    .map((f) => f.replace(/\.jsonld$/, ''));
}

function load(name: string) {
  const doc = JSON.parse(fs.readFileSync(interopFile(`${dir}/${name}.jsonld`), 'utf8'));
  const events = doc.epcisBody?.eventList ?? doc.epcisBody?.queryResults?.resultsBody?.eventList ?? [];
  const lines = (ext: string) => {
    const p = interopFile(`${dir}/${name}.${ext}`);
    return fs.existsSync(p) ? fs.readFileSync(p, 'utf8').split('\n').filter(Boolean) : [];
  };
  return { events, prefixes: prefixesOf(doc['@context']), hashes: lines('hashes'), prehashes: lines('prehashes') };
}

run('CBV 2.0 event hash ID (reference vectors)', () => {
  it('finds the JSON-LD vectors', () => {
    expect(vectors().length).toBeGreaterThanOrEqual(20);
  });

  it('reproduces every JSON-LD vector except the listed ones, and the listed ones still differ', () => {
    let reproduced = 0;
    for (const name of vectors()) {
      const { events, prefixes, hashes } = load(name);
      expect(events.length).toBe(hashes.length);
      events.forEach((event: { type: string }, i: number) => {
        const expected = NOT_REPRODUCED[name]?.events.includes(i) ? 'differs' : 'equal';
        const actual = eventHashId(event, prefixes) === hashes[i] ? 'equal' : 'differs';
        expect(`${name}[${i}] ${actual}`).toBe(`${name}[${i}] ${expected}`);
        if (actual === 'equal') reproduced++;
      });
    }
    expect(reproduced).toBeGreaterThanOrEqual(40);
  });

  it('builds the same pre-hash string as the reference for a vector with extensions', () => {
    const { events, prefixes, prehashes } = load('ReferenceEventHashAlgorithm');
    expect(eventPreHash(events[0], prefixes)).toBe(prehashes[0]);
  });
});

describe('event hash normalisation', () => {
  it('rounds times to milliseconds in UTC', () => {
    expect(canonicalTime('2023-02-02T12:04:03.14159+01:00')).toBe('2023-02-02T11:04:03.142Z');
    expect(canonicalTime('2020-03-04T11:00:30+01:00')).toBe('2020-03-04T10:00:30.000Z');
  });

  it('turns EPC URNs into canonical Digital Link with their check digit', () => {
    expect(gs1CheckDigit('629104150021')).toBe('3');
    expect(canonicalIdentifier('urn:epc:id:sgtin:4012345.011111.9876')).toBe('https://id.gs1.org/01/04012345111118/21/9876');
    expect(canonicalIdentifier('urn:epc:class:lgtin:4012345.012345.Lot987')).toBe('https://id.gs1.org/01/04012345123456/10/Lot987');
    expect(canonicalIdentifier('https://suyuan.test/t/ABC')).toBeNull();
  });

  it('changes with any field and not with eventID, recordTime or member order', () => {
    const base = { type: 'ObjectEvent', eventTime: '2026-01-01T00:00:00.000Z', eventTimeZoneOffset: '+08:00', epcList: ['urn:suyuan:lot:A'], action: 'OBSERVE', bizStep: 'shipping' };
    const id = eventHashId(base);
    expect(eventHashId({ ...base, eventID: 'x', recordTime: '2027-01-01T00:00:00Z' })).toBe(id);
    const { bizStep, ...rest } = base;
    expect(eventHashId({ bizStep, ...rest })).toBe(id);
    expect(eventHashId({ ...base, bizStep: 'receiving' })).not.toBe(id);
    expect(id).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
  });
});
