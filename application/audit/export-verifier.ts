import { createPublicKey, verify as verifySignature } from 'node:crypto';
import type { RecordedEvent } from '../ports/event-store';
import { computeEventHash, GENESIS_HASH } from '../ledger/event-hash';
import { CHECKPOINT_EVENT, CHECKPOINT_STREAM, checkpointMessage, type Checkpoint } from './checkpoints';
import { EXPORT_FORMAT_V2, readExportRecord, type LedgerExportV2 } from './export-v2';
import { merkleRoot } from './merkle';
import { verifyTreeHeads } from './tree-head-verifier';

export const EXPORT_FORMAT = 'suyuan-ledger-export/1';

export interface LedgerExport {
  format: typeof EXPORT_FORMAT;
  exportedAt: string;
  publicKeyPem: string;
  keyId: string;
  /** The whole log in position order (checkpoint events included). */
  events: RecordedEvent[];
  /** The legacy per-range checkpoints, also present as events of `ledger-checkpoints`; listed for convenience. */
  checkpoints: Checkpoint[];
  /** Seed of the commitment salts (decision 0018), so the commitment roots verify too; absent in old exports. */
  commitmentSeed?: string;
}

export type BadReason =
  | 'out-of-order'
  | 'revision-gap'
  | 'prev-hash-mismatch'
  | 'hash-mismatch'
  | 'missing-event'
  | 'bad-signature'
  | 'checkpoint-chain-broken'
  | 'checkpoint-mismatch'
  | 'checkpoint-list-mismatch'
  | 'tree-head-mismatch'
  | 'tree-head-order'
  | 'malformed';

export interface ExportVerdict {
  ok: boolean;
  eventsChecked: number;
  /** Legacy per-range checkpoints plus signed tree heads. */
  checkpointsChecked: number;
  /** Events after the last checkpoint or tree head: chained, but not yet sealed by a signature. */
  unsealedEvents: number;
  firstBad?: { index: number; position: number | null; eventId: string | null; streamId: string | null; revision: number | null; reason: BadReason; detail: string };
}

/**
 * Verifies an export offline, with nothing but the export itself: every event re-hashes and links to its
 * predecessor in its stream; positions only grow; each checkpoint is signed by the exported key, chains to
 * the previous one, and its Merkle root, event count and stream heads match the events in its range; each
 * signed tree head matches the prefix of the log it covers (tree-head-verifier.ts).
 * Stops at, and names, the first bad event. Either format (export-v2.ts): the same checks in the same order, so
 * the same verdict; format 2 hashes each event's carried text instead of its re-canonicalised parse.
 */
export function verifyExport(exp: LedgerExport | LedgerExportV2): ExportVerdict {
  const result = (checkpointsChecked: number, eventsChecked: number, firstBad?: ExportVerdict['firstBad']): ExportVerdict => ({
    ok: !firstBad,
    eventsChecked,
    checkpointsChecked,
    unsealedEvents: 0,
    ...(firstBad ? { firstBad } : {}),
  });
  const bad = (i: number, e: RecordedEvent | undefined, reason: BadReason, detail: string): ExportVerdict['firstBad'] => ({
    index: i,
    position: e?.position ?? null,
    eventId: e?.eventId ?? null,
    streamId: e?.streamId ?? null,
    revision: e?.revision ?? null,
    reason,
    detail,
  });
  if ((exp?.format !== EXPORT_FORMAT && exp?.format !== EXPORT_FORMAT_V2) || !Array.isArray(exp.events)) return result(0, 0, bad(0, undefined, 'malformed', 'not a Suyuan ledger export'));
  // Format 2 carries each event's hashed text: it is hashed as it is and parsed, not re-canonicalised (export-v2.ts).
  const v2 = exp.format === EXPORT_FORMAT_V2;
  const count = exp.events.length;
  const events: RecordedEvent[] = v2 ? [] : (exp.events as RecordedEvent[]);
  // Without the seed, format 2's events are read as far as the chain checks need (readExportRecord); the ones
  // no signature covers are read whole at the end. The commitment log needs every lot/transfer event whole.
  const whole = !!exp.commitmentSeed;

  let publicKey: ReturnType<typeof createPublicKey>;
  try {
    publicKey = createPublicKey(exp.publicKeyPem);
  } catch {
    return result(0, 0, bad(0, undefined, 'malformed', 'public key unreadable'));
  }

  // 1. Per-stream hash chains and global order.
  const heads = new Map<string, { hash: string; revision: number }>();
  const sealed: { index: number; event: RecordedEvent; cp: Checkpoint }[] = [];
  let lastPosition = 0;
  for (let i = 0; i < count; i++) {
    let e: RecordedEvent;
    let computed: string | null = null;
    if (v2) {
      const read = readExportRecord(exp.events[i], whole);
      if (!read.event) {
        const r = exp.events[i] as { hash?: unknown } | null;
        if (read.computed !== null && typeof r?.hash === 'string' && read.computed !== r.hash) return result(0, i, bad(i, undefined, 'hash-mismatch', 'the event text does not match its hash'));
        return result(0, i, bad(i, undefined, 'malformed', 'not an export record ({ position, hash, canonical } with the text of a JSON object)'));
      }
      e = read.event;
      computed = read.computed;
      events.push(e);
    } else e = (exp.events as RecordedEvent[])[i]!;
    if (!(e.position > lastPosition)) return result(0, i, bad(i, e, 'out-of-order', `position ${e.position} after ${lastPosition}`));
    lastPosition = e.position;
    const head = heads.get(e.streamId) ?? { hash: GENESIS_HASH, revision: -1 };
    if (e.revision !== head.revision + 1) return result(0, i, bad(i, e, 'revision-gap', `expected revision ${head.revision + 1}`));
    if (e.prevHash !== head.hash) return result(0, i, bad(i, e, 'prev-hash-mismatch', 'does not link to the previous event of its stream'));
    if ((computed ?? computeEventHash(e)) !== e.hash) return result(0, i, bad(i, e, 'hash-mismatch', 'content does not match its hash'));
    heads.set(e.streamId, { hash: e.hash, revision: e.revision });
    if (e.streamId === CHECKPOINT_STREAM && e.type === CHECKPOINT_EVENT) sealed.push({ index: i, event: e, cp: e.data as unknown as Checkpoint });
  }

  // 2. The listed checkpoints are exactly the ones in the log.
  const listed = JSON.stringify(exp.checkpoints ?? []);
  if (listed !== JSON.stringify(sealed.map((s) => s.cp)))
    return result(0, events.length, bad(events.length, undefined, 'checkpoint-list-mismatch', 'checkpoint list differs from the checkpoint events'));

  // 3. Each checkpoint: signature, chain, and what it commits to.
  let previous: Checkpoint | null = null;
  let cursor = 0; // index of the first event after the previous checkpoint's range
  for (const [n, { index, event, cp }] of sealed.entries()) {
    if (!verifySignature(null, Buffer.from(checkpointMessage(cp), 'utf8'), publicKey, Buffer.from(cp.signature ?? '', 'base64')))
      return result(n, events.length, bad(index, event, 'bad-signature', `checkpoint ${cp.sequence} signature invalid`));
    if (cp.sequence !== (previous?.sequence ?? 0) + 1 || cp.fromPosition !== (previous?.toPosition ?? 0) || cp.previousRoot !== (previous?.merkleRoot ?? GENESIS_HASH))
      return result(n, events.length, bad(index, event, 'checkpoint-chain-broken', `checkpoint ${cp.sequence} does not follow checkpoint ${previous?.sequence ?? 0}`));
    let end = cursor;
    while (end < events.length && events[end]!.position <= cp.toPosition) end++;
    const range = events.slice(cursor, end);
    const rangeHeads: Record<string, number> = {};
    for (const e of range) rangeHeads[e.streamId] = e.revision;
    for (const [streamId, revision] of Object.entries(cp.streamHeads)) {
      const seen = rangeHeads[streamId];
      if (seen !== revision) {
        const last = [...range].reverse().find((e) => e.streamId === streamId);
        return result(n, events.length, {
          index: last ? events.indexOf(last) + 1 : cursor,
          position: null,
          eventId: null,
          streamId,
          revision: (seen ?? -1) + 1,
          reason: 'missing-event',
          detail: `checkpoint ${cp.sequence} sealed ${streamId} up to revision ${revision}, export has ${seen ?? 'none'}`,
        });
      }
    }
    const extra = range.find((e) => !(e.streamId in cp.streamHeads));
    if (extra) return result(n, events.length, bad(events.indexOf(extra), extra, 'checkpoint-mismatch', `not in checkpoint ${cp.sequence}`));
    if (range.length !== cp.eventCount || merkleRoot(range.map((e) => e.hash)) !== cp.merkleRoot)
      return result(n, events.length, bad(cursor, range[0], 'checkpoint-mismatch', `events of checkpoint ${cp.sequence} (positions ${cp.fromPosition}–${cp.toPosition}) differ from what was sealed`));
    previous = cp;
    cursor = end;
  }
  // 4. The signed tree heads over the whole log (decision 0018).
  const trees = verifyTreeHeads(events, exp.publicKeyPem, exp.commitmentSeed ? Buffer.from(exp.commitmentSeed, 'hex') : null);
  if (trees.problem) {
    const { index, event, reason, detail } = trees.problem;
    return result(sealed.length + trees.checked, events.length, bad(index, event, reason, detail));
  }
  const sealedUpTo = Math.max(cursor, trees.lastTreeSize);
  // 5. Format 2: the events after the last signed prefix may have been read in part; read them whole, and hold them
  //    to format 1's rule (the text is the canonical JSON of what it parses to), as no signature vouches for them.
  for (let i = v2 ? sealedUpTo : count; i < count; i++) {
    const read = readExportRecord(exp.events[i], true);
    if (!read.event || computeEventHash(read.event) !== read.computed)
      return result(sealed.length + trees.checked, events.length, bad(i, events[i], 'malformed', 'an event after the last tree head is not the canonical JSON text of an event'));
  }
  return { ...result(sealed.length + trees.checked, events.length), unsealedEvents: events.length - sealedUpTo };
}
