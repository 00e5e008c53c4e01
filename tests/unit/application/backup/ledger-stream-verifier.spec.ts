import { eventsInRange, readCheckpoints, sealCheckpoints } from '../../../../application/audit/checkpoints';
import { EXPORT_FORMAT, verifyExport, type LedgerExport } from '../../../../application/audit/export-verifier';
import { LedgerStreamVerifier } from '../../../../application/backup/ledger-stream-verifier';
import { LogTree } from '../../../../application/audit/log-tree';
import { TREE_HEAD_EVENT } from '../../../../application/audit/tree-head';
import { sealTreeHead } from '../../../../application/audit/tree-heads';
import { computeEventHash, GENESIS_HASH } from '../../../../application/ledger/event-hash';
import { Ledger } from '../../../../application/ledger/ledger';
import { SYSTEM_ACTOR } from '../../../../domain/shared/actor';
import { SqliteEventStore } from '../../../../infrastructure/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../../../../infrastructure/sqlite/sqlite-read-store';
import { ed25519Signer, generateEd25519PrivateKeyPem } from '../../../../infrastructure/system/ed25519-signer';
import { systemClock, systemIds } from '../../../../infrastructure/system/system-clock';
import type { RecordedEvent } from '../../../../application/ports/event-store';

/** The restore's streaming verifier agrees with the export verifier: same verdict, same first bad event. */
describe('LedgerStreamVerifier', () => {
  let exp: LedgerExport;
  beforeAll(async () => {
    const store = new SqliteEventStore(':memory:');
    const ledger = new Ledger(store, systemClock, systemIds);
    const signer = ed25519Signer(generateEd25519PrivateKeyPem());
    const heads = new Map<string, { revision: number; lastHash: string }>();
    const write = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const streamId = `lot-T${i % 5}`;
        const head = heads.get(streamId);
        const res = await ledger.commit([{ stream: { streamId, revision: head ? head.revision : 'no_stream', lastHash: head ? head.lastHash : GENESIS_HASH }, events: [{ type: 'LotNoted', data: { i, note: `第${i}批` } }] }], { commandId: `c-${streamId}-${head?.revision ?? -1}`, actor: SYSTEM_ACTOR });
        const e = res.events[0]!;
        heads.set(streamId, { revision: e.revision, lastHash: e.hash });
      }
    };
    await write(30);
    await sealCheckpoints(ledger, signer, () => new Date());
    await write(12);
    await sealCheckpoints(ledger, signer, () => new Date());
    await write(3);
    const events = await eventsInRange(store, 0, await store.headPosition());
    exp = { format: EXPORT_FORMAT, exportedAt: new Date().toISOString(), publicKeyPem: signer.publicKeyPem, keyId: signer.keyId, events, checkpoints: (await readCheckpoints(store)).checkpoints };
    await store.close();
  });

  const streamed = (events: RecordedEvent[]) => {
    const v = new LedgerStreamVerifier(exp.publicKeyPem);
    for (const e of events) if (!v.feed(e)) break;
    return v.verdict();
  };

  it('accepts an intact ledger with the same counts', () => {
    const expected = verifyExport(exp);
    expect(expected.ok).toBe(true);
    expect(streamed(exp.events)).toEqual(expected);
    expect(expected.checkpointsChecked).toBe(2);
    expect(expected.unsealedEvents).toBe(4); // the 3 newest events and the last checkpoint event itself
  });

  it.each([
    ['changed data', (events: RecordedEvent[]) => events.map((e, i) => (i === 12 ? { ...e, data: { ...e.data, note: '篡改' } } : e))],
    ['a dropped event', (events: RecordedEvent[]) => events.filter((_, i) => i !== 7)],
    ['a forged checkpoint signature', (events: RecordedEvent[]) => events.map((e) => (e.type === 'CheckpointSealed' ? { ...e, data: { ...e.data, signature: Buffer.alloc(64).toString('base64') } } : e))],
  ])('names the same first bad event as the export verifier: %s', (_name, tamper) => {
    const events = tamper(exp.events);
    const expected = verifyExport({ ...exp, events, checkpoints: events.filter((e) => e.type === 'CheckpointSealed').map((e) => e.data as never) });
    expect(expected.ok).toBe(false);
    const got = streamed(events);
    expect(got.ok).toBe(false);
    expect(got.firstBad).toEqual(expected.firstBad);
  });
});

/** Tree heads (decision 0018) are checked by the restore's streaming verifier too, as the export verifier does. */
describe('LedgerStreamVerifier over signed tree heads', () => {
  let exp: LedgerExport;
  beforeAll(async () => {
    const store = new SqliteEventStore(':memory:');
    const reads = new SqliteReadStore(':memory:');
    const ledger = new Ledger(store, systemClock, systemIds);
    const signer = ed25519Signer(generateEd25519PrivateKeyPem());
    const tree = new LogTree(store, reads, Buffer.alloc(32, 3), { observeAppends: true });
    const heads = new Map<string, { revision: number; lastHash: string }>();
    let minute = 0;
    const write = async (n: number, streams: number) => {
      for (let i = 0; i < n; i++) {
        const streamId = `lot-H${i % streams}`;
        const head = heads.get(streamId);
        const res = await ledger.commit([{ stream: { streamId, revision: head ? head.revision : 'no_stream', lastHash: head ? head.lastHash : GENESIS_HASH }, events: [{ type: 'LotNoted', data: { i } }] }], { commandId: `h-${streamId}-${head?.revision ?? -1}`, actor: SYSTEM_ACTOR });
        heads.set(streamId, { revision: res.events[0]!.revision, lastHash: res.events[0]!.hash });
      }
    };
    for (const [n, streams] of [[40, 6], [25, 9], [7, 12]] as const) {
      await write(n, streams);
      await sealTreeHead(ledger, signer, tree, () => new Date(Date.UTC(2026, 11, 1, 0, ++minute)));
    }
    await write(4, 3);
    const events = await eventsInRange(store, 0, await store.headPosition());
    exp = { format: EXPORT_FORMAT, exportedAt: new Date().toISOString(), publicKeyPem: signer.publicKeyPem, keyId: signer.keyId, events, checkpoints: [] };
    await store.close();
    await reads.close();
  });

  const streamed = (events: RecordedEvent[]) => {
    const v = new LedgerStreamVerifier(exp.publicKeyPem);
    for (const e of events) if (!v.feed(e)) break;
    return v.verdict();
  };
  /** Each stream's chain made valid again after a change: revisions, links and hashes recomputed (a validly hashed alternative history). */
  const rechained = (events: RecordedEvent[]) => {
    const last = new Map<string, { hash: string; revision: number }>();
    return events.map((e) => {
      const before = last.get(e.streamId);
      const out = { ...e, revision: before ? before.revision + 1 : 0, prevHash: before?.hash ?? GENESIS_HASH };
      out.hash = computeEventHash(out);
      last.set(e.streamId, { hash: out.hash, revision: out.revision });
      return out;
    });
  };
  const headIndexes = () => exp.events.flatMap((e, i) => (e.type === TREE_HEAD_EVENT ? [i] : []));

  it("accepts the intact ledger with the export verifier's counts", () => {
    const expected = verifyExport(exp);
    expect(expected.ok).toBe(true);
    expect(expected.checkpointsChecked).toBe(3);
    expect(streamed(exp.events)).toEqual(expected);
  });

  it.each([
    ['a validly re-hashed change of data', (events: RecordedEvent[]) => rechained(events.map((e, i) => (i === 20 ? { ...e, data: { i: -1 } } : e))), 'tree-head-mismatch'],
    ['an event dropped and its stream re-chained (the later heads now sit before the size they sign)', (events: RecordedEvent[]) => rechained(events.filter((_, i) => i !== 45)), 'tree-head-order'],
    ['a forged tree-head signature', (events: RecordedEvent[]) => rechained(events.map((e, i) => (i === headIndexes()[1] ? { ...e, data: { ...e.data, signature: Buffer.alloc(64).toString('base64') } } : e))), 'bad-signature'],
    ['the last tree head relabelled as a format-1 map', (events: RecordedEvent[]) => rechained(events.map((e, i) => (i === headIndexes()[2] ? { ...e, data: { ...e.data, streamMapFormat: undefined } } : e))), 'tree-head-mismatch'],
  ])('names the same first bad event as the export verifier: %s', (_name, tamper, reason) => {
    const events = tamper(exp.events);
    const expected = verifyExport({ ...exp, events });
    expect(expected.ok).toBe(false);
    expect(expected.firstBad?.reason).toBe(reason);
    const got = streamed(events);
    expect(got.ok).toBe(false);
    expect(got.firstBad).toEqual(expected.firstBad);
  });
});
