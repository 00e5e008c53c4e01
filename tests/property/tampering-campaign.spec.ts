import * as fs from 'node:fs';
import { generateKeyPairSync, sign } from 'node:crypto';
import { LogTree } from '../../application/audit/log-tree';
import { buildProofBundle, type ProofBundle } from '../../application/audit/proof-bundle';
import { treeHeadMessage } from '../../application/audit/tree-head';
import { readTreeHeads, sealTreeHead } from '../../application/audit/tree-heads';
import { GENESIS_HASH } from '../../application/ledger/event-hash';
import { Ledger } from '../../application/ledger/ledger';
import { SYSTEM_ACTOR } from '../../domain/shared/actor';
import { SqliteEventStore } from '../../infrastructure/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../../infrastructure/sqlite/sqlite-read-store';
import { ed25519Signer, generateEd25519PrivateKeyPem } from '../../infrastructure/system/ed25519-signer';
import { systemClock, systemIds } from '../../infrastructure/system/system-clock';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { verifyBundle, eventHash } = require('../../tools/suyuan-verify/verify.js');

/**
 * The tampering campaign (issue 18): on a generated ledger (a chain of lots and transfers among unrelated
 * traffic, sealed twice), 1,200 random tamperings of its proof bundles — full and redacted — each checked on
 * its own copy. Every one must be refused with a named problem of the expected kind.
 */
type Kind = 'flip-data' | 'flip-metadata' | 'delete-middle' | 'delete-end' | 'reorder' | 'truncate' | 'rollback' | 'forge-signature' | 'substitute-history' | 'drop-lot';
const KINDS: Kind[] = ['flip-data', 'flip-metadata', 'delete-middle', 'delete-end', 'reorder', 'truncate', 'rollback', 'forge-signature', 'substitute-history', 'drop-lot'];
const EXPECTED: Record<Kind, string[]> = {
  'flip-data': ['hash-mismatch', 'bad-commitment-inclusion'],
  'flip-metadata': ['hash-mismatch', 'bad-commitment-inclusion', 'out-of-order', 'broken-chain'],
  'delete-middle': ['missing-event'],
  'delete-end': ['missing-event'],
  reorder: ['out-of-order'],
  truncate: ['missing-event'],
  rollback: ['bad-stream-head-proof', 'bad-inclusion', 'bad-commitment-inclusion'],
  'forge-signature': ['bad-tree-head-signature', 'wrong-key'],
  'substitute-history': ['bad-inclusion', 'bad-commitment-inclusion', 'stream-head-mismatch', 'bad-stream-head-proof'],
  'drop-lot': ['lot-missing'],
};

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('tampering campaign', () => {
  let full: ProofBundle;
  let redacted: ProofBundle;
  let older: ProofBundle['treeHead'];
  let publicKeyPem: string;
  beforeAll(async () => {
    const store = new SqliteEventStore(':memory:');
    const reads = new SqliteReadStore(':memory:');
    const ledger = new Ledger(store, systemClock, systemIds);
    const signer = ed25519Signer(generateEd25519PrivateKeyPem());
    publicKeyPem = signer.publicKeyPem;
    const tree = new LogTree(store, reads, Buffer.alloc(32, 9));
    const heads = new Map<string, { revision: number; lastHash: string }>();
    const put = async (streamId: string, type: string, data: Record<string, unknown>) => {
      const h = heads.get(streamId);
      const res = await ledger.commit([{ stream: { streamId, revision: h ? h.revision : 'no_stream', lastHash: h ? h.lastHash : GENESIS_HASH }, events: [{ type, data }] }], { commandId: `c-${streamId}-${h?.revision ?? -1}`, actor: { ...SYSTEM_ACTOR, userId: 'u-farmer' } });
      heads.set(streamId, { revision: res.events[0]!.revision, lastHash: res.events[0]!.hash });
    };
    // A chain L0 → L1 → … → L5 (each received through a transfer), with notes, among other traffic.
    await put('lot-L0', 'LotCreated', { origin: { kind: 'produced' }, product: '豇豆', quantity: { amount: 800, unit: 'kg' }, base: '李春花豇豆地' });
    for (let i = 1; i <= 5; i++) {
      for (let k = 0; k < 20; k++) await put(`entity-e${k}`, 'Noted', { k, i });
      await put(`lot-L${i - 1}`, 'LotReserved', { transferId: `T${i}`, quantity: { amount: 100, unit: 'kg' }, phone: '13698760003' });
      await put(`transfer-T${i}`, 'TransferInitiated', { transferId: `T${i}`, fromTraceCode: `L${i - 1}` });
      await put(`transfer-T${i}`, 'TransferConfirmed', { transferId: `T${i}`, fromTraceCode: `L${i - 1}`, childTraceCode: `L${i}`, quantity: { amount: 100, unit: 'kg' } });
      await put(`lot-L${i}`, 'LotCreated', { origin: { kind: 'transfer', parentTraceCode: `L${i - 1}`, transferId: `T${i}` }, product: '豇豆', quantity: { amount: 100, unit: 'kg' } });
      await put(`lot-L${i}`, 'LotNoted', { note: `第${i}批`, holder: `holder-${i}` });
      if (i === 3) await sealTreeHead(ledger, signer, tree, () => new Date('2026-12-01T10:00:00Z'));
    }
    await sealTreeHead(ledger, signer, tree, () => new Date('2026-12-01T11:00:00Z'));
    const [first, last] = await readTreeHeads(store);
    older = first!;
    const streams = (isFull: boolean) => [...Array(6).keys()].flatMap((i) => [{ streamId: `lot-L${i}`, full: isFull }, ...(i ? [{ streamId: `transfer-T${i}`, full: isFull }] : [])]);
    const req = (isFull: boolean) => ({ traceCode: 'L5', forward: false, streams: streams(isFull), treeHead: last!, cosignatures: [], publicKeyPem, now: new Date() });
    full = await buildProofBundle(store, tree, tree.commitmentSeed, req(true));
    redacted = await buildProofBundle(store, tree, tree.commitmentSeed, req(false));
    await store.close();
    await reads.close();
  });

  it('both bundles verify untouched', () => {
    expect(verifyBundle(full, { publicKeyPem })).toMatchObject({ ok: true });
    expect(verifyBundle(redacted, { publicKeyPem })).toMatchObject({ ok: true });
  });

  it('detects and names 100 % of 1,200 random tamperings', () => {
    const rnd = prng(20261201);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const counts: Record<string, { tried: number; detected: number }> = {};
    const misses: string[] = [];
    const attacker = generateKeyPairSync('ed25519');
    for (let n = 0; n < 1200; n++) {
      const kind = KINDS[n % KINDS.length]!;
      const isFull = rnd() < 0.5;
      const b: ProofBundle = JSON.parse(JSON.stringify(isFull ? full : redacted));
      const streamsWith = (min: number) => b.streams.filter((s) => s.events.length >= min);
      const viewOf = (e: ProofBundle['streams'][number]['events'][number]) => (e.event ?? e.redacted) as unknown as Record<string, unknown>;
      switch (kind) {
        case 'flip-data': {
          const e = pick(pick(b.streams).events);
          if (e.event) {
            const keys = Object.keys(e.event.data);
            const k = pick(keys);
            e.event.data[k] = flipJson(e.event.data[k], rnd);
          } else {
            const f = pick(Object.entries(e.redacted!.fields).filter(([name]) => name.startsWith('data.')))[1] as Record<string, unknown>;
            if ('commitment' in f) f.commitment = flipHex(f.commitment as string, rnd);
            else f.value = flipJson(f.value, rnd);
          }
          break;
        }
        case 'flip-metadata': {
          const e = pick(pick(b.streams).events);
          const v = viewOf(e);
          const field = pick(['occurredAt', 'recordedAt', 'type', 'eventId', 'actor']);
          if (field === 'actor') {
            if (e.event) e.event.actor = { ...e.event.actor, userId: e.event.actor.userId + 'x' };
            else (e.redacted!.fields.actor as { commitment: string }).commitment = flipHex((e.redacted!.fields.actor as { commitment: string }).commitment, rnd);
          } else v[field] = flipJson(v[field], rnd);
          break;
        }
        case 'delete-middle': {
          const s = pick(streamsWith(3));
          s.events.splice(1 + Math.floor(rnd() * (s.events.length - 2)), 1);
          break;
        }
        case 'delete-end':
          pick(b.streams).events.pop();
          break;
        case 'reorder': {
          const s = pick(streamsWith(2));
          const i = Math.floor(rnd() * (s.events.length - 1));
          [s.events[i], s.events[i + 1]] = [s.events[i + 1]!, s.events[i]!];
          break;
        }
        case 'truncate':
          // The log cut after some leaf: every event of the bundle past it is gone, the tree head kept.
          {
            const cut = Math.floor(rnd() * Math.max(...b.streams.flatMap((s) => s.events.map((e) => e.leafIndex))));
            for (const s of b.streams) s.events = s.events.filter((e) => e.leafIndex <= cut);
            if (b.streams.every((s) => s.events.length === s.headProof.entry.revision + 1)) b.streams[b.streams.length - 1]!.events.pop();
          }
          break;
        case 'rollback':
          b.treeHead = { ...older };
          break;
        case 'forge-signature':
          if (rnd() < 0.5) b.treeHead.signature = flipB64(b.treeHead.signature, rnd);
          else {
            // A tree head signed by another key, with that key put in the bundle: only a pinned key catches it.
            b.treeHead = { ...b.treeHead, timestamp: '2026-12-02T00:00:00.000Z' };
            b.treeHead.signature = sign(null, Buffer.from(treeHeadMessage(b.treeHead)), attacker.privateKey).toString('base64');
            b.publicKeyPem = attacker.publicKey.export({ type: 'spki', format: 'pem' }).toString();
          }
          break;
        case 'substitute-history': {
          // Another history of one stream, validly hashed and chained, of the same length.
          const s = pick(b.streams);
          let prev = GENESIS_HASH;
          for (const e of s.events) {
            if (e.event) {
              e.event = { ...e.event, data: { ...e.event.data, rewritten: true }, prevHash: prev };
              e.event.hash = eventHash(e.event);
              prev = e.event.hash;
            } else {
              const r = e.redacted!;
              r.prevHash = prev;
              r.hash = flipHex(r.hash, rnd);
              prev = r.hash;
            }
          }
          s.headProof.entry.lastHash = prev;
          break;
        }
        case 'drop-lot': {
          const lots = b.streams.filter((s) => s.streamId.startsWith('lot-') || s.streamId.startsWith('transfer-'));
          const victim = pick(lots);
          b.streams = b.streams.filter((s) => s !== victim);
          break;
        }
      }
      const verdict = verifyBundle(b, { publicKeyPem });
      const c = (counts[kind] ??= { tried: 0, detected: 0 });
      c.tried++;
      if (!verdict.ok && EXPECTED[kind].includes(verdict.problem.code) && verdict.problem.detail) c.detected++;
      else misses.push(`${kind} (${isFull ? 'full' : 'redacted'}): ${verdict.ok ? 'accepted' : verdict.problem.code}`);
    }
    const total = Object.values(counts).reduce((a, c) => a + c.tried, 0);
    writeCampaignCounts(`${__dirname}/../../bench/verifiable-history-campaign.json`, total, counts);
    expect(misses.slice(0, 10)).toEqual([]);
    expect(total).toBeGreaterThanOrEqual(1000);
  });
});

/**
 * The campaign's counts for decision 0018, rewritten only when they change: the campaign is seeded, so a
 * run that detects what the last one did leaves the tracked file (and its date) alone instead of dirtying
 * every working tree that runs `npm test`.
 */
function writeCampaignCounts(file: string, total: number, counts: Record<string, { tried: number; detected: number }>): void {
  const body = (at: string) => JSON.stringify({ at, total, counts }, null, 2) + '\n';
  const stored = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  const storedAt = stored ? (JSON.parse(stored) as { at?: string }).at : undefined;
  if (storedAt && stored === body(storedAt)) return;
  fs.writeFileSync(file, body(new Date().toISOString()));
}

function flipHex(h: string, rnd: () => number): string {
  const i = Math.floor(rnd() * h.length);
  return h.slice(0, i) + ((parseInt(h[i]!, 16) ^ (1 + Math.floor(rnd() * 15))).toString(16)) + h.slice(i + 1);
}
function flipB64(s: string, rnd: () => number): string {
  const buf = Buffer.from(s, 'base64');
  buf[Math.floor(rnd() * buf.length)] ^= 1 << Math.floor(rnd() * 8);
  return buf.toString('base64');
}
/** One changed byte in the JSON of a value (kept valid JSON: a string gets a changed character, a number another digit). */
function flipJson(v: unknown, rnd: () => number): unknown {
  if (typeof v === 'string') {
    const i = Math.floor(rnd() * Math.max(1, v.length));
    const ch = v.charCodeAt(i) || 65;
    return v.slice(0, i) + String.fromCharCode(ch ^ (1 + Math.floor(rnd() * 7))) + v.slice(i + 1);
  }
  if (typeof v === 'number') return v + 1;
  if (v && typeof v === 'object') {
    const o = JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
    const k = Object.keys(o)[0]!;
    o[k] = flipJson(o[k], rnd);
    return o;
  }
  return v === null ? 0 : !v;
}
