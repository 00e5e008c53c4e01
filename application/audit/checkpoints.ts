import { canonicalize } from 'json-canonicalize';
import { SYSTEM_ACTOR } from '../../domain/shared/actor';
import { GENESIS_HASH } from '../ledger/event-hash';
import { systemCommandId } from '../ledger/idempotency';
import type { EventStore, RecordedEvent } from '../ports/event-store';
import type { LedgerSigner } from '../ports/signer';
import type { Ledger } from '../ledger/ledger';
import { inclusionProof, merkleRoot } from './merkle';
import { attachedLogTree } from './log-tree';
import type { SignedTreeHead } from './tree-head';
import { sealTreeHead } from './tree-heads';

export const CHECKPOINT_STREAM = 'ledger-checkpoints';
export const CHECKPOINT_EVENT = 'CheckpointSealed';
/** Legacy: a per-range checkpoint covered at most this many events (the backup verifier still bounds by it). */
export const MAX_EVENTS_PER_CHECKPOINT = 50_000;

/** Legacy (before decision 0018): what a per-range checkpoint commits to; `signature` is Ed25519 over the canonical JSON of everything else. */
export interface CheckpointBody {
  sequence: number;
  /** Exclusive lower bound: the previous checkpoint's toPosition (0 for the first). */
  fromPosition: number;
  toPosition: number;
  eventCount: number;
  merkleRoot: string;
  previousRoot: string;
  /** Last revision of every stream written in the range: dropping a stream's newest event shows here. */
  streamHeads: Record<string, number>;
  sealedAt: string;
  keyId: string;
}
export interface Checkpoint extends CheckpointBody {
  signature: string;
}

export function checkpointMessage(body: CheckpointBody): string {
  const { sequence, fromPosition, toPosition, eventCount, merkleRoot: root, previousRoot, streamHeads, sealedAt, keyId } = body;
  return canonicalize({ sequence, fromPosition, toPosition, eventCount, merkleRoot: root, previousRoot, streamHeads, sealedAt, keyId });
}

export async function readCheckpoints(store: EventStore): Promise<{ events: RecordedEvent[]; checkpoints: Checkpoint[] }> {
  const events = await store.readStream(CHECKPOINT_STREAM);
  return { events, checkpoints: events.map((e) => e.data as unknown as Checkpoint) };
}

export async function eventsInRange(store: EventStore, fromExclusive: number, toInclusive: number): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  let after = fromExclusive;
  while (after < toInclusive) {
    const batch = await store.readAll({ afterPosition: after, maxCount: 5000 });
    if (batch.length === 0) break;
    for (const e of batch) if (e.position <= toInclusive) out.push(e);
    after = batch[batch.length - 1]!.position;
  }
  return out;
}

/**
 * Seals a signed tree head over the whole log (decision 0018) and returns it (none when nothing is new).
 * The name stays for its callers (the sealing job, backups). A ledger without an attached tree (a bare store
 * in a unit test) is sealed the old way, per range; old `CheckpointSealed` events are verified as before.
 */
export async function sealCheckpoints(ledger: Ledger, signer: LedgerSigner, now: () => Date): Promise<SignedTreeHead[] | Checkpoint[]> {
  const tree = attachedLogTree(ledger.store);
  if (!tree) return sealRangeCheckpoints(ledger, signer, now);
  const head = await sealTreeHead(ledger, signer, tree, now);
  return head ? [head] : [];
}

/**
 * Legacy sealer (before decision 0018), used only where no log tree is attached (tests that build a ledger
 * "sealed the old way"). Seals everything appended since the last checkpoint: Merkle root (RFC 6962) of the events' hashes, chained
 * to the previous root and signed. Appended to `ledger-checkpoints` with the expected revision, so two
 * sealers never both succeed for the same range. Returns the new checkpoints (none when nothing is new).
 */
export async function sealRangeCheckpoints(ledger: Ledger, signer: LedgerSigner, now: () => Date): Promise<Checkpoint[]> {
  const sealed: Checkpoint[] = [];
  for (;;) {
    const [last] = await ledger.store.readStream(CHECKPOINT_STREAM, { direction: 'backwards', maxCount: 1 });
    const previous = last?.data as unknown as Checkpoint | undefined;
    const fromPosition = previous?.toPosition ?? 0;
    const range = await scanRange(ledger.store, fromPosition);
    // Nothing new but the previous checkpoint event itself: it is sealed by the next checkpoint, with new events.
    if (!range.hasNew) break;
    const { hashes, streamHeads } = range;
    const body: CheckpointBody = {
      sequence: (previous?.sequence ?? 0) + 1,
      fromPosition,
      toPosition: range.toPosition,
      eventCount: hashes.length,
      merkleRoot: merkleRoot(hashes),
      previousRoot: previous?.merkleRoot ?? GENESIS_HASH,
      streamHeads,
      sealedAt: now().toISOString(),
      keyId: signer.keyId,
    };
    const checkpoint: Checkpoint = { ...body, signature: signer.sign(checkpointMessage(body)) };
    await ledger.commit(
      [
        {
          stream: { streamId: CHECKPOINT_STREAM, revision: last ? last.revision : 'no_stream', lastHash: last ? last.hash : GENESIS_HASH },
          events: [{ type: CHECKPOINT_EVENT, data: { ...checkpoint } }],
        },
      ],
      { commandId: systemCommandId(`seal-checkpoint-${body.sequence}`), actor: SYSTEM_ACTOR },
    );
    sealed.push(checkpoint);
    if (hashes.length < MAX_EVENTS_PER_CHECKPOINT) break;
  }
  return sealed;
}

/** Events read per step while sealing; the sealer yields to the event loop between steps. */
const SEAL_READ_BATCH = 2_000;

/**
 * What a checkpoint needs of the next (up to MAX_EVENTS_PER_CHECKPOINT) events after `fromPosition`: their
 * hashes, each stream's last revision, the last position. Read in steps with a yield between them — one
 * read of 50,000 events (and their JSON) held the server's event loop for most of a second.
 */
async function scanRange(
  store: EventStore,
  fromPosition: number,
): Promise<{ hashes: string[]; streamHeads: Record<string, number>; toPosition: number; hasNew: boolean }> {
  const hashes: string[] = [];
  const streamHeads: Record<string, number> = {};
  let toPosition = fromPosition;
  let hasNew = false;
  while (hashes.length < MAX_EVENTS_PER_CHECKPOINT) {
    const batch = await store.readAll({ afterPosition: toPosition, maxCount: Math.min(SEAL_READ_BATCH, MAX_EVENTS_PER_CHECKPOINT - hashes.length) });
    if (batch.length === 0) break;
    for (const e of batch) {
      hashes.push(e.hash);
      streamHeads[e.streamId] = e.revision;
      if (e.streamId !== CHECKPOINT_STREAM) hasNew = true;
    }
    toPosition = batch[batch.length - 1]!.position;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { hashes, streamHeads, toPosition, hasNew };
}


export interface InclusionProof {
  eventId: string;
  position: number;
  eventHash: string;
  checkpoint: Checkpoint;
  leafIndex: number;
  treeSize: number;
  auditPath: string[];
}

/** Proof that an event is included in the checkpoint that covers it (null if not sealed yet). */
export async function proveInclusion(store: EventStore, eventId: string, position: number): Promise<InclusionProof | null> {
  const { checkpoints } = await readCheckpoints(store);
  const cp = checkpoints.find((c) => c.fromPosition < position && position <= c.toPosition);
  if (!cp) return null;
  const events = await eventsInRange(store, cp.fromPosition, cp.toPosition);
  const leafIndex = events.findIndex((e) => e.eventId === eventId);
  if (leafIndex < 0) return null;
  return {
    eventId,
    position,
    eventHash: events[leafIndex]!.hash,
    checkpoint: cp,
    leafIndex,
    treeSize: events.length,
    auditPath: inclusionProof(events.map((e) => e.hash), leafIndex),
  };
}
