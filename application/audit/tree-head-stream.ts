import type { RecordedEvent } from '../ports/event-store';
import { CHECKPOINT_STREAM } from './checkpoints';
import { Frontier, hashHexLeaf } from './rfc9162';
import { SPARSE_MAP_FORMAT, SparseMap } from './sparse-map';
import { StreamMapBuilder, type StreamHead } from './stream-map';
import { TREE_HEAD_EVENT, verifyTreeHeadSignature, type SignedTreeHead } from './tree-head';
import type { TreeHeadProblem } from './tree-head-verifier';

/**
 * The tree-head checks of verifyTreeHeads (tree-head-verifier.ts) over a log fed one event at a time, for the
 * restore's streaming verifier (application/backup): each signed tree head's signature, that it covers a longer
 * prefix of the log before its own event, and that the event root, the stream-head map (in the format the head
 * names) and the last leaf's position are those of that prefix. Kept: the frontier and the map at the last
 * verified tree head, every stream's head there (for format-1 maps, rebuilt over all heads), and the events
 * since (a tree head covers a size reached before its own event, not always the one just before it).
 * The commitment root is not checked: it needs the commitment seed, which a backup does not carry.
 */
export class TreeHeadStreamVerifier {
  private frontier = Frontier.empty();
  private sparse = SparseMap.empty();
  private readonly heads = new Map<string, StreamHead>();
  private readonly maps = new StreamMapBuilder();
  /** The events after the last verified tree head's size, in log order. */
  private since: { streamId: string; revision: number; hash: string; position: number }[] = [];
  private size = 0;
  private previousSize = 0;
  /** Tree heads verified, and the size of the last. */
  checked = 0;
  lastTreeSize = 0;

  constructor(private readonly publicKeyPem: string) {}

  /** Takes the event at `index` of the log (its chain already checked); a problem if it is a tree head that does not verify. */
  feed(index: number, e: RecordedEvent): TreeHeadProblem | null {
    if (e.streamId === CHECKPOINT_STREAM && e.type === TREE_HEAD_EVENT) {
      const problem = this.check(index, e, e.data as unknown as SignedTreeHead);
      if (problem) return problem;
    }
    this.since.push({ streamId: e.streamId, revision: e.revision, hash: e.hash, position: e.position });
    return null;
  }

  private check(index: number, event: RecordedEvent, head: SignedTreeHead): TreeHeadProblem | null {
    const fail = (reason: TreeHeadProblem['reason'], detail: string): TreeHeadProblem => ({ index, event, reason, detail });
    let signed = false;
    try {
      signed = verifyTreeHeadSignature(head, head.signature ?? '', this.publicKeyPem);
    } catch {
      signed = false;
    }
    if (!signed) return fail('bad-signature', `tree head ${head.treeSize} signature invalid`);
    if (!(Number.isInteger(head.treeSize) && head.treeSize > this.previousSize && head.treeSize <= index))
      return fail('tree-head-order', `tree head ${head.treeSize} does not cover a longer prefix of the log before its own event (previous ${this.previousSize}, event at ${index})`);
    const take = head.treeSize - this.size;
    const covered = this.since.slice(0, take);
    this.since = this.since.slice(take);
    this.frontier = this.frontier.appendAll(covered.map((c) => hashHexLeaf(c.hash)));
    const moved = new Map<string, StreamHead>();
    for (const c of covered) moved.set(c.streamId, { streamId: c.streamId, revision: c.revision, lastHash: c.hash });
    for (const h of moved.values()) this.heads.set(h.streamId, h);
    this.size = head.treeSize;
    if (this.frontier.root().toString('hex') !== head.rootHash)
      return fail('tree-head-mismatch', `tree head ${head.treeSize}: the first ${head.treeSize} events of the log do not have the signed root (an event was changed, removed, added or moved)`);
    let map: { root(): Buffer; size: number };
    if (head.streamMapFormat === SPARSE_MAP_FORMAT) map = this.sparse = this.sparse.updated(moved.values());
    else if (head.streamMapFormat === undefined) {
      this.sparse = this.sparse.updated(moved.values()); // kept current for a later format-2 head
      map = this.maps.build(this.heads);
    } else return fail('tree-head-mismatch', `tree head ${head.treeSize}: unknown or inconsistent stream-map format ${JSON.stringify(head.streamMapFormat)}`);
    if (map.root().toString('hex') !== head.streamMapRoot || map.size !== head.streamCount)
      return fail('tree-head-mismatch', `tree head ${head.treeSize}: the stream heads differ from the signed stream-head map`);
    const lastPosition = covered[covered.length - 1]!.position; // take ≥ 1: the size grew
    if (head.lastPosition !== lastPosition) return fail('tree-head-mismatch', `tree head ${head.treeSize}: its last leaf is at position ${lastPosition}, not ${head.lastPosition}`);
    this.previousSize = head.treeSize;
    this.lastTreeSize = head.treeSize;
    this.checked++;
    return null;
  }
}
