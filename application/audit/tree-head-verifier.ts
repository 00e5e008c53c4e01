import type { RecordedEvent } from '../ports/event-store';
import { commitmentLeaf, eventCommitmentDigest } from './commitments';
import { CHECKPOINT_STREAM } from './checkpoints';
import { Frontier, hashHexLeaf, hashLeaf } from './rfc9162';
import { SPARSE_MAP_FORMAT, SparseMap } from './sparse-map';
import { StreamMapBuilder, type StreamHead } from './stream-map';
import { TREE_HEAD_EVENT, verifyTreeHeadSignature, type SignedTreeHead } from './tree-head';

export interface TreeHeadProblem {
  index: number;
  event: RecordedEvent;
  reason: 'bad-signature' | 'tree-head-mismatch' | 'tree-head-order';
  detail: string;
}

/**
 * Checks every signed tree head of a whole log (an export, a backup): its signature, that it covers a prefix
 * of the log before its own event, and that the event root, the stream-head map root and — when the
 * commitment seed is given (national exports carry it) — the commitment root are those of that prefix.
 * One pass; the frontier of each size is kept only where a tree head will ask for it.
 */
export function verifyTreeHeads(events: readonly RecordedEvent[], publicKeyPem: string, commitmentSeed: Buffer | null): { checked: number; lastTreeSize: number; problem: TreeHeadProblem | null } {
  const heads: { index: number; event: RecordedEvent; head: SignedTreeHead }[] = [];
  events.forEach((e, index) => {
    if (e.streamId === CHECKPOINT_STREAM && e.type === TREE_HEAD_EVENT) heads.push({ index, event: e, head: e.data as unknown as SignedTreeHead });
  });
  const wanted = new Map<number, { events: Frontier; commitments: Frontier | null; map: { root(): Buffer; size: number }; lastPosition: number }>();
  const sizes = new Set(heads.map((h) => h.head.treeSize));
  // The map format each size is asked in (the tree head's label; the first head of a size decides, a second
  // one of another format at the same size fails as a mismatch). Format 2 is updated with the heads moved
  // since the previous format-2 size (O(moved · log S)); format 1 is rebuilt over all heads.
  const formats = new Map<number, string | undefined>();
  for (const h of heads) if (!formats.has(h.head.treeSize)) formats.set(h.head.treeSize, h.head.streamMapFormat);
  let sparse = SparseMap.empty();
  /** Per stream moved since the last format-2 size: the index of its last event (heads built only for those). */
  const movedSinceSparse = new Map<string, number>();
  // Every stream's head is only kept for format-1 maps (rebuilt over all heads); a format-2 log needs none.
  const anyFormat1 = heads.some((h) => h.head.streamMapFormat !== SPARSE_MAP_FORMAT);
  let ef = Frontier.empty();
  let cf: Frontier | null = commitmentSeed ? Frontier.empty() : null;
  const streamHeads = new Map<string, StreamHead>();
  const maps = new StreamMapBuilder();
  let next = 0;
  let previousSize = 0;
  let lastTreeSize = 0;
  for (const [n, { index, event, head }] of heads.entries()) {
    const fail = (reason: TreeHeadProblem['reason'], detail: string) => ({ checked: n, lastTreeSize, problem: { index, event, reason, detail } });
    if (!verifyTreeHeadSignature(head, head.signature ?? '', publicKeyPem)) return fail('bad-signature', `tree head ${head.treeSize} signature invalid`);
    if (!(Number.isInteger(head.treeSize) && head.treeSize > previousSize && head.treeSize <= index))
      return fail('tree-head-order', `tree head ${head.treeSize} does not cover a longer prefix of the log before its own event (previous ${previousSize}, event at ${index})`);
    // The leaves up to the next size some tree head asks for, appended in one go.
    while (next < head.treeSize) {
      let end = next + 1;
      while (end < head.treeSize && !sizes.has(end)) end++;
      const eventLeaves: Buffer[] = [];
      const commitmentLeaves: Buffer[] = [];
      for (; next < end; next++) {
        const e = events[next]!;
        eventLeaves.push(hashHexLeaf(e.hash));
        if (cf && commitmentSeed) commitmentLeaves.push(hashLeaf(commitmentLeaf(e.hash, eventCommitmentDigest(commitmentSeed, e))));
        if (anyFormat1) streamHeads.set(e.streamId, { streamId: e.streamId, revision: e.revision, lastHash: e.hash });
        movedSinceSparse.set(e.streamId, next);
      }
      ef = ef.appendAll(eventLeaves);
      if (cf) cf = cf.appendAll(commitmentLeaves);
      if (sizes.has(next)) {
        let map: { root(): Buffer; size: number };
        if (formats.get(next) === SPARSE_MAP_FORMAT) {
          const moved: StreamHead[] = [];
          for (const i of movedSinceSparse.values()) moved.push({ streamId: events[i]!.streamId, revision: events[i]!.revision, lastHash: events[i]!.hash });
          map = sparse = sparse.updated(moved);
          movedSinceSparse.clear();
        } else map = maps.build(streamHeads);
        wanted.set(next, { events: ef, commitments: cf, map, lastPosition: events[next - 1]!.position });
      }
    }
    const at = wanted.get(head.treeSize)!;
    if (at.events.root().toString('hex') !== head.rootHash)
      return fail('tree-head-mismatch', `tree head ${head.treeSize}: the first ${head.treeSize} events of the log do not have the signed root (an event was changed, removed, added or moved)`);
    if ((head.streamMapFormat ?? null) !== (formats.get(head.treeSize) ?? null) || (head.streamMapFormat !== undefined && head.streamMapFormat !== SPARSE_MAP_FORMAT))
      return fail('tree-head-mismatch', `tree head ${head.treeSize}: unknown or inconsistent stream-map format ${JSON.stringify(head.streamMapFormat)}`);
    if (at.map.root().toString('hex') !== head.streamMapRoot || at.map.size !== head.streamCount)
      return fail('tree-head-mismatch', `tree head ${head.treeSize}: the stream heads differ from the signed stream-head map`);
    if (at.commitments && at.commitments.root().toString('hex') !== head.commitmentRoot)
      return fail('tree-head-mismatch', `tree head ${head.treeSize}: the commitment log differs from the signed commitment root`);
    if (head.lastPosition !== at.lastPosition) return fail('tree-head-mismatch', `tree head ${head.treeSize}: its last leaf is at position ${at.lastPosition}, not ${head.lastPosition}`);
    wanted.delete(head.treeSize);
    previousSize = head.treeSize;
    lastTreeSize = head.treeSize;
  }
  return { checked: heads.length, lastTreeSize, problem: null };
}
