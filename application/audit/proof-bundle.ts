import { createHash } from 'node:crypto';
import type { EventStore, RecordedEvent } from '../ports/event-store';
import { CLEAR_FIELDS, committedFields, eventSalts, fieldCommitment } from './commitments';
import type { LogTree } from './log-tree';
import type { SparseHeadProof } from './sparse-map';
import type { StreamHeadProof } from './stream-map';
import type { Cosignature, SignedTreeHead } from './tree-head';

/**
 * Proof bundles per product (issue 18, docs/verifiable-history.md §Bundles): every event of every stream of a
 * lot's chain as of a signed tree head, each with its inclusion path, and each stream's head proof, so
 * `npx suyuan-verify` can say offline that nothing of those streams is missing or altered. Events the caller
 * may not read in full are *redacted*: clear envelope fields, the link fields, and for every other field
 * either its value with its salt or only its salted commitment; those are proved in the commitment log.
 */
export const BUNDLE_FORMAT = 'suyuan-proof-bundle/1';
/** Data fields a redacted event still shows: what links the chain (and the product and quantity on a label). */
export const PUBLIC_DATA_FIELDS = new Set(['data.origin', 'data.traceCode', 'data.transferId', 'data.fromTraceCode', 'data.childTraceCode', 'data.product', 'data.quantity']);

export type RedactedField = { value: unknown; salt: string } | { commitment: string };
export interface RedactedEvent {
  [clear: string]: unknown;
  hash: string;
  position: number;
  fields: Record<string, RedactedField>;
}

export interface BundleEvent {
  leafIndex: number;
  /** The whole event (full view) — its hash recomputes from it. */
  event?: RecordedEvent;
  /** The redacted view — its commitment digest recomputes from it. */
  redacted?: RedactedEvent;
  /** Inclusion path in the event log (full view) or the commitment log (redacted view). */
  path: string[];
}

export interface BundleStream {
  streamId: string;
  view: 'full' | 'redacted';
  /** Format 1 (`{ mapSize, entry, left, right }`) or, when the tree head names it, format 2 (`{ format, entry }`). */
  headProof: StreamHeadProof | SparseHeadProof;
  events: BundleEvent[];
}

export interface ProofBundle {
  format: typeof BUNDLE_FORMAT;
  traceCode: string;
  forward: boolean;
  generatedAt: string;
  publicKeyPem: string;
  treeHead: SignedTreeHead;
  cosignatures: Cosignature[];
  streams: BundleStream[];
}

export interface BundleRequest {
  traceCode: string;
  forward: boolean;
  /** Stream ids of the chain (lots and transfers), and whether the caller may see each in full. */
  streams: { streamId: string; full: boolean }[];
  treeHead: SignedTreeHead;
  cosignatures: Cosignature[];
  publicKeyPem: string;
  now: Date;
}

/**
 * A bundle's streams depend only on the tree head and on which streams are asked for in which view: the events
 * up to a signed tree head never change, nor do their proofs. So they are computed once per (tree size, streams,
 * views) and kept, with their JSON, beside the tree (issue 18: 1.5–4 s per 1,000-lot bundle otherwise).
 * Generation time, cosignatures (a witness may cosign later) and the rest are filled in per request.
 */
const BUNDLE_CACHE_ENTRIES = 4;
const bundleCaches = new WeakMap<LogTree, Map<string, BundleStream[]>>();
const streamsJson = new WeakMap<BundleStream[], string>();

function bundleKey(req: BundleRequest): string {
  const h = createHash('sha256').update(String(req.treeHead.treeSize)).update('\n').update(req.treeHead.rootHash);
  for (const s of req.streams) h.update('\n').update(s.full ? 'F' : 'R').update(s.streamId);
  return h.digest('hex');
}

export async function buildProofBundle(store: EventStore, tree: LogTree, seed: Buffer, req: BundleRequest): Promise<ProofBundle> {
  let cache = bundleCaches.get(tree);
  if (!cache) bundleCaches.set(tree, (cache = new Map()));
  const key = bundleKey(req);
  let streams = cache.get(key);
  if (streams) {
    cache.delete(key);
    cache.set(key, streams);
  } else {
    streams = await bundleStreams(store, tree, seed, req);
    cache.set(key, streams);
    while (cache.size > BUNDLE_CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  }
  return {
    format: BUNDLE_FORMAT,
    traceCode: req.traceCode,
    forward: req.forward,
    generatedAt: req.now.toISOString(),
    publicKeyPem: req.publicKeyPem,
    treeHead: req.treeHead,
    cosignatures: req.cosignatures,
    streams,
  };
}

/**
 * The bundle's JSON, byte for byte JSON.stringify(bundle), with the streams' part (nearly all of its bytes)
 * serialised once per cached bundle.
 */
export function proofBundleJson(bundle: ProofBundle): string {
  let json = streamsJson.get(bundle.streams);
  if (json === undefined) {
    json = JSON.stringify(bundle.streams);
    if (bundleCachesHold(bundle.streams)) streamsJson.set(bundle.streams, json);
  }
  const head = JSON.stringify({ ...bundle, streams: [] });
  // `streams` is the last key: the header ends with "streams":[]} — the cached array goes where [] was.
  return head.slice(0, head.length - 3) + json + '}';
}

function bundleCachesHold(streams: BundleStream[]): boolean {
  return Object.isFrozen(streams);
}

async function bundleStreams(store: EventStore, tree: LogTree, seed: Buffer, req: BundleRequest): Promise<BundleStream[]> {
  const size = req.treeHead.treeSize;
  const hex = hexMemo();
  const headProofs = await tree.proveHeads(req.treeHead, req.streams.map((s) => s.streamId), hex);
  const proved: { streamId: string; full: boolean; headProof: StreamHeadProof | SparseHeadProof }[] = [];
  req.streams.forEach((s, i) => {
    const headProof = headProofs[i];
    if (headProof) proved.push({ ...s, headProof }); // else not yet sealed at this tree head
  });
  // One query for all the streams where the store offers it (issue 18: 2,000 readStream were a quarter of a cold bundle).
  const asked = proved.map((s) => ({ streamId: s.streamId, maxCount: s.headProof.entry.revision + 1 }));
  const read = store.readStreams ? await store.readStreams(asked) : await Promise.all(asked.map((a) => store.readStream(a.streamId, { maxCount: a.maxCount })));
  const perStream = proved.map((s, i) => ({ ...s, events: read[i]! }));
  const leaves = await tree.leavesAt(perStream.flatMap((s) => s.events.map((e) => e.position)));
  const index = (e: RecordedEvent) => {
    const leaf = leaves.get(e.position);
    if (!leaf || leaf.index >= size) throw new Error(`event ${e.eventId} is not in tree head ${size}`);
    return leaf.index;
  };
  const fullEvents = perStream.filter((s) => s.full).flatMap((s) => s.events);
  const redactedEvents = perStream.filter((s) => !s.full).flatMap((s) => s.events);
  const fullPaths = await tree.inclusionPaths('events', fullEvents.map((e) => ({ index: index(e), size })));
  const redactedPaths = await tree.inclusionPaths('commitments', redactedEvents.map((e) => ({ index: index(e), size })));
  const pathOf = new Map<string, string[]>();
  fullEvents.forEach((e, i) => pathOf.set(e.eventId, fullPaths[i]!.map(hex)));
  redactedEvents.forEach((e, i) => pathOf.set(e.eventId, redactedPaths[i]!.map(hex)));
  // Frozen at the top: shared by every answer from the cache (the JSON cache relies on it not changing).
  return Object.freeze(
    perStream.map((s) => ({
      streamId: s.streamId,
      view: s.full ? ('full' as const) : ('redacted' as const),
      headProof: s.headProof,
      events: s.events.map((e) => ({
        leafIndex: index(e),
        ...(s.full ? { event: e } : { redacted: redact(seed, e) }),
        path: pathOf.get(e.eventId)!,
      })),
    })),
  ) as BundleStream[];
}

/**
 * Hex of node hashes, once per node: the paths of a bundle share their upper nodes (the tree's stored nodes and
 * cached chunk nodes are the same Buffer objects each time), and hex conversion was 7 % of a cold bundle.
 */
function hexMemo(): (b: Buffer) => string {
  const known = new WeakMap<Buffer, string>();
  return (b) => {
    let h = known.get(b);
    if (h === undefined) known.set(b, (h = b.toString('hex')));
    return h;
  };
}

/** The redacted view of one event: public fields with their salts, the others as commitments only. */
export function redact(seed: Buffer, e: RecordedEvent): RedactedEvent {
  const out: RedactedEvent = { hash: e.hash, position: e.position, fields: {} };
  for (const f of CLEAR_FIELDS) out[f] = e[f];
  const saltOf = eventSalts(seed, e.eventId);
  for (const [name, value] of committedFields(e)) {
    const salt = saltOf(name);
    out.fields[name] = PUBLIC_DATA_FIELDS.has(name) ? { value, salt: salt.toString('hex') } : { commitment: fieldCommitment(salt, value) };
  }
  return out;
}
