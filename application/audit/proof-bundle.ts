import type { EventStore, RecordedEvent } from '../ports/event-store';
import { CLEAR_FIELDS, committedFields, fieldCommitment, fieldSalt } from './commitments';
import type { LogTree } from './log-tree';
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
  headProof: StreamHeadProof;
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

export async function buildProofBundle(store: EventStore, tree: LogTree, seed: Buffer, req: BundleRequest): Promise<ProofBundle> {
  const size = req.treeHead.treeSize;
  const map = await tree.mapAt(size);
  const perStream: { streamId: string; full: boolean; events: RecordedEvent[]; headProof: StreamHeadProof }[] = [];
  for (const s of req.streams) {
    const headProof = map.prove(s.streamId);
    if (!headProof) continue; // not yet sealed at this tree head
    const events = await store.readStream(s.streamId, { maxCount: headProof.entry.revision + 1 });
    perStream.push({ ...s, events, headProof });
  }
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
  fullEvents.forEach((e, i) => pathOf.set(e.eventId, fullPaths[i]!.map((b) => b.toString('hex'))));
  redactedEvents.forEach((e, i) => pathOf.set(e.eventId, redactedPaths[i]!.map((b) => b.toString('hex'))));
  return {
    format: BUNDLE_FORMAT,
    traceCode: req.traceCode,
    forward: req.forward,
    generatedAt: req.now.toISOString(),
    publicKeyPem: req.publicKeyPem,
    treeHead: req.treeHead,
    cosignatures: req.cosignatures,
    streams: perStream.map((s) => ({
      streamId: s.streamId,
      view: s.full ? 'full' : 'redacted',
      headProof: s.headProof,
      events: s.events.map((e) => ({
        leafIndex: index(e),
        ...(s.full ? { event: e } : { redacted: redact(seed, e) }),
        path: pathOf.get(e.eventId)!,
      })),
    })),
  };
}

/** The redacted view of one event: public fields with their salts, the others as commitments only. */
export function redact(seed: Buffer, e: RecordedEvent): RedactedEvent {
  const out: RedactedEvent = { hash: e.hash, position: e.position, fields: {} };
  for (const f of CLEAR_FIELDS) out[f] = e[f];
  for (const [name, value] of committedFields(e)) {
    const salt = fieldSalt(seed, e.eventId, name);
    out.fields[name] = PUBLIC_DATA_FIELDS.has(name) ? { value, salt: salt.toString('hex') } : { commitment: fieldCommitment(salt, value) };
  }
  return out;
}
