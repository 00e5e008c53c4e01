import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { eventsInRange } from '../../../../application/audit/checkpoints';
import {
  EXPORT_FORMAT,
  verifyExport,
  type LedgerExport,
} from '../../../../application/audit/export-verifier';
import {
  EXPORT_FORMAT_V2,
  exportRecordEvents,
  readExportRecord,
  toExportV2,
  type LedgerExportV2,
} from '../../../../application/audit/export-v2';
import { LogTree } from '../../../../application/audit/log-tree';
import { sealTreeHead } from '../../../../application/audit/tree-heads';
import {
  canonicalEventJson,
  computeEventHash,
  GENESIS_HASH,
} from '../../../../application/ledger/event-hash';
import { Ledger } from '../../../../application/ledger/ledger';
import type { RecordedEvent } from '../../../../application/ports/event-store';
import { SYSTEM_ACTOR } from '../../../../domain/shared/actor';
import { SqliteEventStore } from '../../../../infrastructure/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../../../../infrastructure/sqlite/sqlite-read-store';
import {
  ed25519Signer,
  generateEd25519PrivateKeyPem,
} from '../../../../infrastructure/system/ed25519-signer';
import { systemClock, systemIds } from '../../../../infrastructure/system/system-clock';

/**
 * Export format 2 (each event's hashed text carried as it is, decision 0018 §Sixth pass): the same verdict as
 * format 1 for the same content, intact or tampered, with or without the commitment seed; and a tampered text
 * is caught where format 1 has no text to tamper with.
 */
describe('ledger export format 2', () => {
  let v1: LedgerExport;
  const seed = Buffer.alloc(32, 5);
  beforeAll(async () => {
    const store = new SqliteEventStore(':memory:');
    const reads = new SqliteReadStore(':memory:');
    const ledger = new Ledger(store, systemClock, systemIds);
    const signer = ed25519Signer(generateEd25519PrivateKeyPem());
    const tree = new LogTree(store, reads, seed, { observeAppends: true });
    const heads = new Map<string, { revision: number; lastHash: string }>();
    let minute = 0;
    const write = async (n: number, streams: number) => {
      for (let i = 0; i < n; i++) {
        const streamId = i % 3 === 0 ? `entity-e${i % streams}` : `lot-V${i % streams}`;
        const head = heads.get(streamId);
        // Strings that need escaping and non-ASCII text: the carried text must be the hashed bytes exactly.
        const data = {
          i,
          note: `第${i}批 "引号" \\ 反斜杠 \n 换行 \u0001`,
          nested: { eventId: 'not-the-envelope', streamId: 'nor-this', revision: 99 },
          quantity: { amount: i * 1.5, unit: 'kg' },
        };
        const res = await ledger.commit(
          [
            {
              stream: {
                streamId,
                revision: head ? head.revision : 'no_stream',
                lastHash: head ? head.lastHash : GENESIS_HASH,
              },
              events: [{ type: 'LotNoted', data }],
            },
          ],
          {
            commandId: `v2-${streamId}-${head?.revision ?? -1}`,
            actor: SYSTEM_ACTOR,
          },
        );
        heads.set(streamId, { revision: res.events[0]!.revision, lastHash: res.events[0]!.hash });
      }
    };
    for (const [n, streams] of [
      [40, 6],
      [25, 9],
      [7, 12],
    ] as const) {
      await write(n, streams);
      await sealTreeHead(ledger, signer, tree, () => new Date(Date.UTC(2026, 11, 1, 0, ++minute)));
    }
    await write(4, 3); // unsealed tail
    const events = await eventsInRange(store, 0, await store.headPosition());
    v1 = {
      format: EXPORT_FORMAT,
      exportedAt: new Date().toISOString(),
      publicKeyPem: signer.publicKeyPem,
      keyId: signer.keyId,
      events,
      checkpoints: [],
    };
    await store.close();
    await reads.close();
  });
  /** Through JSON as a file would carry it. */
  const asFile = (exp: LedgerExportV2): LedgerExportV2 => JSON.parse(JSON.stringify(exp)) as LedgerExportV2;
  const withSeed = (exp: LedgerExport) => ({ ...exp, commitmentSeed: seed.toString('hex') });

  it('carries the exact hashed text: SHA-256 of each record text is its hash, and the events read back are format 1’s', () => {
    const v2 = asFile(toExportV2(v1));
    expect(v2.format).toBe(EXPORT_FORMAT_V2);
    for (const [i, r] of v2.events.entries()) {
      expect(createHash('sha256').update(Buffer.from(r.canonical, 'utf8')).digest('hex')).toBe(r.hash);
      expect(r.canonical).toBe(canonicalEventJson(v1.events[i]!));
    }
    const { events, badIndex } = exportRecordEvents(v2.events);
    expect(badIndex).toBeNull();
    expect(events).toEqual(v1.events);
  });

  it('verifies an intact export to the same verdict as format 1, with and without the seed', () => {
    const expected = verifyExport(v1);
    expect(expected.ok).toBe(true);
    expect(expected.checkpointsChecked).toBe(3);
    expect(expected.unsealedEvents).toBeGreaterThan(0);
    expect(verifyExport(asFile(toExportV2(v1)))).toEqual(expected);
    expect(verifyExport(asFile(toExportV2(withSeed(v1))))).toEqual(verifyExport(withSeed(v1)));
  });

  type Tamper = { kind: 'alter' | 'drop' | 'swap' | 'insert'; index: number; rehash: boolean; field: number };
  const tamperArb: fc.Arbitrary<Tamper> = fc.record({
    kind: fc.constantFrom('alter' as const, 'drop' as const, 'swap' as const, 'insert' as const),
    index: fc.nat(),
    rehash: fc.boolean(),
    field: fc.nat(4),
  });
  /** One tampering of format 1's events (any event, sealed or not). */
  function tampered(t: Tamper): RecordedEvent[] {
    const events = structuredClone(v1.events);
    const i = t.index % events.length;
    switch (t.kind) {
      case 'alter': {
        const e = events[i]!;
        if (t.field === 0) e.data = { ...e.data, tampered: true };
        else if (t.field === 1) e.occurredAt = '2020-01-01T00:00:00.000Z';
        else if (t.field === 2) e.revision += 1;
        else if (t.field === 3) e.prevHash = GENESIS_HASH.replace(/0$/, '1');
        else e.actor = { ...e.actor, userId: 'someone-else' };
        if (t.rehash) e.hash = computeEventHash(e);
        break;
      }
      case 'drop':
        events.splice(i, 1);
        break;
      case 'swap': {
        const j = i + 1 < events.length ? i + 1 : i - 1;
        const [a, b] = [events[i]!, events[j]!];
        [a.position, b.position] = [b.position, a.position];
        events[i] = b;
        events[j] = a;
        break;
      }
      case 'insert': {
        const last = events[i]!;
        const forged = {
          ...structuredClone(last),
          eventId: '01900000-0000-7000-8000-00000000f0f0',
          revision: last.revision + 1,
          prevHash: last.hash,
          data: { forged: true },
        };
        forged.hash = t.rehash ? computeEventHash(forged) : last.hash;
        forged.position = last.position + 0.5;
        events.splice(i + 1, 0, forged);
        break;
      }
    }
    return events;
  }

  it('names the same first bad event as format 1 for every tampering of the content (fast-check, with and without the seed)', () => {
    fc.assert(
      fc.property(tamperArb, fc.boolean(), (t, seeded) => {
        const base = seeded ? withSeed(v1) : v1;
        const events = tampered(t);
        const expected = verifyExport({ ...base, events });
        expect(verifyExport(asFile(toExportV2({ ...base, events })))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('catches a changed character anywhere in a record text (fast-check), naming that record when it is sealed', () => {
    const v2 = asFile(toExportV2(v1));
    const sealedCount = v1.events.length - verifyExport(v1).unsealedEvents;
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 0xffff }), (k, at, code) => {
        const copy = structuredClone(v2);
        const i = k % copy.events.length;
        const text = copy.events[i]!.canonical;
        const p = at % text.length;
        const ch = String.fromCharCode((text.charCodeAt(p) + code) % 0xffff || 1);
        fc.pre(ch !== text[p]);
        copy.events[i]!.canonical = text.slice(0, p) + ch + text.slice(p + 1);
        const verdict = verifyExport(copy);
        expect(verdict.ok).toBe(false);
        if (i < sealedCount) expect(verdict.firstBad?.index).toBe(i);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses an unsealed record whose text is re-hashed but not the canonical JSON of what it parses to', () => {
    const v2 = asFile(toExportV2(v1));
    const last = v2.events[v2.events.length - 1]!; // after the last tree head: no signature covers it
    last.canonical = last.canonical.replace('{', '{ ');
    last.hash = createHash('sha256').update(last.canonical, 'utf8').digest('hex');
    expect(verifyExport(v2).firstBad).toMatchObject({ index: v2.events.length - 1, reason: 'malformed' });
  });

  it('reads the envelope’s own eventId, streamId and revision, not those of a nested object, from a partial read', () => {
    const e = v1.events.find((x) => x.streamId.startsWith('lot-'))!;
    const record = {
      position: e.position,
      hash: e.hash,
      canonical: canonicalEventJson({
        ...e,
        zz: { eventId: 'fake', streamId: 'fake', revision: 7 },
      } as never),
    };
    const partial = readExportRecord(record, false).event!;
    expect(partial).toMatchObject({
      eventId: e.eventId,
      streamId: e.streamId,
      revision: e.revision,
      prevHash: e.prevHash,
      position: e.position,
    });
    const plain = readExportRecord(
      { position: e.position, hash: e.hash, canonical: canonicalEventJson(e) },
      false,
    );
    expect(plain.partial).toBe(true);
    expect(plain.event).toMatchObject({
      eventId: e.eventId,
      streamId: e.streamId,
      revision: e.revision,
      prevHash: e.prevHash,
      type: e.type,
    });
    expect(readExportRecord({ position: 1, hash: 'x', canonical: '[1]' }).event).toBeNull();
    expect(readExportRecord({ position: 1, hash: 'x', canonical: '{"hash":"y"}' }).event).toBeNull();
  });

  it('the offline CLI verifies a format-2 file (exit 0) and names a tampered record (exit 1)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-export-v2-'));
    const good = path.join(dir, 'good.json');
    const bad = path.join(dir, 'bad.json');
    const v2 = toExportV2(v1);
    fs.writeFileSync(good, JSON.stringify(v2));
    const copy = structuredClone(v2);
    copy.events[5]!.canonical = copy.events[5]!.canonical.replace('"i":', '"j":');
    fs.writeFileSync(bad, JSON.stringify(copy));
    const cli = (file: string) =>
      spawnSync(
        process.execPath,
        [
          '-r',
          path.resolve(__dirname, '../../../support/swc-register.js'),
          path.resolve(__dirname, '../../../../infrastructure/cli/verify-export.ts'),
          file,
        ],
        { encoding: 'utf8' },
      );
    const ok = cli(good);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^OK: \d+ events, 3 signed checkpoints verified/);
    const no = cli(bad);
    expect(no.status).toBe(1);
    expect(no.stdout).toContain('TAMPERED: first bad event at index 5');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
