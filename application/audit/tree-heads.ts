import { SYSTEM_ACTOR } from '../../domain/shared/actor';
import type { EventStore, RecordedEvent } from '../ports/event-store';
import type { LedgerSigner } from '../ports/signer';
import { GENESIS_HASH } from '../ledger/event-hash';
import { systemCommandId } from '../ledger/idempotency';
import type { Ledger } from '../ledger/ledger';
import { CHECKPOINT_STREAM } from './checkpoints';
import type { LogTree } from './log-tree';
import { bodyOf, COSIGNATURE_STREAM, signTreeHead, TREE_HEAD_EVENT, type Cosignature, type SignedTreeHead, type TreeHeadBody } from './tree-head';

/**
 * Sealing and reading signed tree heads (decision 0018). A tree head is appended to `ledger-checkpoints`
 * with the expected revision, so two sealers never both sign; it covers the first `treeSize` events of the
 * log and becomes itself a leaf of the next tree. Nothing to seal when every leaf since the last tree head
 * is a checkpoint event.
 */
export async function sealTreeHead(ledger: Ledger, signer: LedgerSigner, tree: LogTree, now: () => Date): Promise<SignedTreeHead | null> {
  // The roots and the stream-head map (format 2, stored) of one state of the tree (LogTree.sealPoint).
  const point = await tree.sealPoint();
  const { size, lastPosition } = point;
  const [last] = await ledger.store.readStream(CHECKPOINT_STREAM, { direction: 'backwards', maxCount: 1 });
  const previous = last?.type === TREE_HEAD_EVENT ? (last.data as unknown as SignedTreeHead) : null;
  if (size === 0) return null;
  if (previous && (await onlyCheckpointsSince(ledger.store, previous.lastPosition))) return null;
  const body: TreeHeadBody = {
    treeSize: size,
    rootHash: point.rootHash,
    commitmentRoot: point.commitmentRoot,
    streamMapRoot: point.streamMapRoot,
    streamCount: point.streamCount,
    timestamp: now().toISOString(),
  };
  const head = signTreeHead(body, signer, lastPosition, point.streamMapFormat);
  await ledger.commit(
    [
      {
        stream: { streamId: CHECKPOINT_STREAM, revision: last ? last.revision : 'no_stream', lastHash: last ? last.hash : GENESIS_HASH },
        events: [{ type: TREE_HEAD_EVENT, data: { ...head } }],
      },
    ],
    { commandId: systemCommandId(`seal-tree-head-${size}`), actor: SYSTEM_ACTOR },
  );
  return head;
}

async function onlyCheckpointsSince(store: EventStore, afterPosition: number): Promise<boolean> {
  let after = afterPosition;
  // Nearly always the first event since is not a checkpoint: a first read of a few, not 500 parsed events.
  for (let maxCount = 8; ; maxCount = 500) {
    const batch = await store.readAll({ afterPosition: after, maxCount });
    if (batch.length === 0) return true;
    if (batch.some((e) => e.streamId !== CHECKPOINT_STREAM)) return false;
    after = batch[batch.length - 1]!.position;
  }
}

/** Every signed tree head, oldest first, with the position of its event. */
export async function readTreeHeads(store: EventStore): Promise<(SignedTreeHead & { eventPosition: number })[]> {
  const events = await store.readStream(CHECKPOINT_STREAM);
  return events.filter((e) => e.type === TREE_HEAD_EVENT).map((e) => ({ ...(e.data as unknown as SignedTreeHead), eventPosition: e.position }));
}

export async function treeHeadOfSize(store: EventStore, size: number): Promise<SignedTreeHead | null> {
  return (await readTreeHeads(store)).find((h) => h.treeSize === size) ?? null;
}

/** The newest tree head signed at or before `asOf` (the newest of all without it). */
export async function treeHeadAsOf(store: EventStore, asOf?: string): Promise<SignedTreeHead | null> {
  const heads = await readTreeHeads(store);
  const cutoff = asOf === undefined ? Infinity : Date.parse(asOf);
  return [...heads].reverse().find((h) => Date.parse(h.timestamp) <= cutoff) ?? null;
}

export async function readCosignatures(store: EventStore, treeSize?: number): Promise<Cosignature[]> {
  const events: RecordedEvent[] = await store.readStream(COSIGNATURE_STREAM);
  return events.map((e) => e.data as unknown as Cosignature).filter((c) => treeSize === undefined || c.treeSize === treeSize);
}

export { bodyOf };
