import { createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import type { RecordedEvent } from '../ports/event-store';
import { computeEventHash, GENESIS_HASH } from '../ledger/event-hash';
import { CHECKPOINT_EVENT, CHECKPOINT_STREAM, checkpointMessage, type Checkpoint } from '../audit/checkpoints';
import type { BadReason, ExportVerdict } from '../audit/export-verifier';
import { merkleRoot } from '../audit/merkle';
import { TreeHeadStreamVerifier } from '../audit/tree-head-stream';

type FirstBad = NonNullable<ExportVerdict['firstBad']>;

interface Pending {
  index: number;
  position: number;
  eventId: string;
  streamId: string;
  revision: number;
  hash: string;
}

/**
 * The checks of verifyExport (application/audit/export-verifier.ts) over a log fed one event at a time, so
 * a restore verifies millions of events without holding them: each stream's hash chain, growing positions,
 * every legacy checkpoint's signature, chain of roots, event count, stream heads and Merkle root, and every
 * signed tree head's signature, roots and stream-head map (TreeHeadStreamVerifier; not its commitment root,
 * which needs the seed). Only the events since the last checkpoint are kept (at most MAX_EVENTS_PER_CHECKPOINT
 * hashes). Stops at, and names, the first bad event.
 */
export class LedgerStreamVerifier {
  private readonly publicKey: KeyObject;
  private readonly heads = new Map<string, { hash: string; revision: number }>();
  private pending: Pending[] = [];
  private previous: Checkpoint | null = null;
  private lastPosition = 0;
  private index = 0;
  private checkpoints = 0;
  private readonly trees: TreeHeadStreamVerifier;
  firstBad: FirstBad | null = null;

  constructor(publicKeyPem: string) {
    this.publicKey = createPublicKey(publicKeyPem);
    this.trees = new TreeHeadStreamVerifier(publicKeyPem);
  }

  /** Checks one event (in position order); false once anything is bad (further events are ignored). */
  feed(e: RecordedEvent): boolean {
    if (this.firstBad) return false;
    const i = this.index++;
    if (!(e.position > this.lastPosition)) return this.fail(i, e, 'out-of-order', `position ${e.position} after ${this.lastPosition}`);
    this.lastPosition = e.position;
    const head = this.heads.get(e.streamId) ?? { hash: GENESIS_HASH, revision: -1 };
    if (e.revision !== head.revision + 1) return this.fail(i, e, 'revision-gap', `expected revision ${head.revision + 1}`);
    if (e.prevHash !== head.hash) return this.fail(i, e, 'prev-hash-mismatch', 'does not link to the previous event of its stream');
    if (computeEventHash(e) !== e.hash) return this.fail(i, e, 'hash-mismatch', 'content does not match its hash');
    this.heads.set(e.streamId, { hash: e.hash, revision: e.revision });
    if (e.streamId === CHECKPOINT_STREAM && e.type === CHECKPOINT_EVENT && !this.checkCheckpoint(i, e)) return false;
    const tree = this.trees.feed(i, e);
    if (tree) return this.fail(tree.index, tree.event, tree.reason, tree.detail);
    this.pending.push({ index: i, position: e.position, eventId: e.eventId, streamId: e.streamId, revision: e.revision, hash: e.hash });
    return true;
  }

  verdict(): ExportVerdict {
    return {
      ok: this.firstBad === null,
      eventsChecked: this.index,
      checkpointsChecked: this.checkpoints + this.trees.checked,
      unsealedEvents: this.firstBad ? 0 : Math.min(this.pending.length, this.index - this.trees.lastTreeSize),
      ...(this.firstBad ? { firstBad: this.firstBad } : {}),
    };
  }

  /** The last verified checkpoint (null before the first). */
  get lastCheckpoint(): Checkpoint | null {
    return this.previous;
  }

  private checkCheckpoint(i: number, event: RecordedEvent): boolean {
    const cp = event.data as unknown as Checkpoint;
    const previous = this.previous;
    let signed = false;
    try {
      signed = verifySignature(null, Buffer.from(checkpointMessage(cp), 'utf8'), this.publicKey, Buffer.from(cp.signature ?? '', 'base64'));
    } catch {
      signed = false;
    }
    if (!signed) return this.fail(i, event, 'bad-signature', `checkpoint ${cp.sequence} signature invalid`);
    if (cp.sequence !== (previous?.sequence ?? 0) + 1 || cp.fromPosition !== (previous?.toPosition ?? 0) || cp.previousRoot !== (previous?.merkleRoot ?? GENESIS_HASH))
      return this.fail(i, event, 'checkpoint-chain-broken', `checkpoint ${cp.sequence} does not follow checkpoint ${previous?.sequence ?? 0}`);
    const range = this.pending.filter((p) => p.position <= cp.toPosition);
    const rest = this.pending.filter((p) => p.position > cp.toPosition);
    const rangeHeads = new Map<string, Pending>();
    for (const p of range) rangeHeads.set(p.streamId, p);
    for (const [streamId, revision] of Object.entries(cp.streamHeads ?? {})) {
      const seen = rangeHeads.get(streamId);
      if (seen?.revision !== revision) {
        this.firstBad = {
          index: seen ? seen.index + 1 : (range[0]?.index ?? i),
          position: null,
          eventId: null,
          streamId,
          revision: (seen?.revision ?? -1) + 1,
          reason: 'missing-event',
          detail: `checkpoint ${cp.sequence} sealed ${streamId} up to revision ${revision}, the backup has ${seen?.revision ?? 'none'}`,
        };
        return false;
      }
    }
    const extra = range.find((p) => !(p.streamId in (cp.streamHeads ?? {})));
    if (extra) return this.failAt(extra, 'checkpoint-mismatch', `not in checkpoint ${cp.sequence}`);
    if (range.length !== cp.eventCount || merkleRoot(range.map((p) => p.hash)) !== cp.merkleRoot) {
      const first = range[0];
      const detail = `events of checkpoint ${cp.sequence} (positions ${cp.fromPosition}–${cp.toPosition}) differ from what was sealed`;
      return first ? this.failAt(first, 'checkpoint-mismatch', detail) : this.fail(i, event, 'checkpoint-mismatch', detail);
    }
    this.pending = rest;
    this.previous = cp;
    this.checkpoints++;
    return true;
  }

  private fail(index: number, e: RecordedEvent, reason: BadReason, detail: string): false {
    this.firstBad = { index, position: e.position, eventId: e.eventId, streamId: e.streamId, revision: e.revision, reason, detail };
    return false;
  }

  private failAt(p: Pending, reason: BadReason, detail: string): false {
    this.firstBad = { index: p.index, position: p.position, eventId: p.eventId, streamId: p.streamId, revision: p.revision, reason, detail };
    return false;
  }
}

/** One line naming the first bad event, for the operator. */
export function describeFirstBad(b: FirstBad): string {
  return (
    `first bad event at index ${b.index}` +
    (b.position !== null ? `, position ${b.position}` : '') +
    (b.streamId ? `, stream ${b.streamId}` : '') +
    (b.revision !== null ? ` revision ${b.revision}` : '') +
    (b.eventId ? ` (event ${b.eventId})` : '') +
    `: ${b.reason} — ${b.detail}`
  );
}
