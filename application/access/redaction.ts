import type { Actor } from '../../domain/shared/actor';
import type { Checkpoint } from '../audit/checkpoints';
import type { ReadDoc } from '../ports/read-store';
import type { ChainEdge, TraceChain } from '../trace/chain-query';
import type { AccessGrant } from './grants';
import { decide } from './policy';
import { covers, scopeOf } from './region-scope';
import { lotResource } from './resources';

/**
 * Redaction of the answers that carry other regions' records inside one response: the trace chain and the
 * ledger checkpoints. The record-level rule is `decide`; these apply it to every node of an answer.
 */

/** A lot of the chain the caller may not see: its region and nothing that names it or its holder. */
export interface RedactedLot {
  _id: string;
  regionCode: string | null;
  redacted: true;
}

export interface RedactedChain extends Omit<TraceChain, 'lots' | 'edges'> {
  lots: (ReadDoc | RedactedLot)[];
  edges: (ChainEdge | RedactedEdge)[];
}

/** An edge between lots the caller may not see: its shape (from, to, kind, when), no receiver, no quantity. */
export interface RedactedEdge {
  from: string;
  to: string | null;
  kind: ChainEdge['kind'];
  at: string;
  receiver: { redacted: true };
  redacted: true;
}

/**
 * The chain as this caller may see it. The shape is shown whole (a recall must know it goes on); a lot
 * outside the caller's reach keeps only its region, and its trace code is replaced by a reference local to
 * this answer (a trace code carries part of the holder's e-ID). Edges show their receiver only when the
 * receiving lot is visible (an off-ledger sale: when the selling lot is), and their quantity when either end
 * is. The lot asked for keeps its code: the caller gave it. `grantsUsed` names the grants that opened lots.
 */
export function redactChain(actor: Actor, chain: TraceChain, grants: readonly AccessGrant[]): { chain: RedactedChain; grantsUsed: { grantId: string; incidentId: string }[] } {
  const grantsUsed = new Map<string, { grantId: string; incidentId: string }>();
  const visible = new Set<string>();
  for (const lot of chain.lots) {
    const d = decide(actor, 'read', lotResource(lot), grants);
    if (!d.allowed) continue;
    visible.add(lot._id);
    if (d.grant) grantsUsed.set(d.grant.grantId, d.grant);
  }
  const refs = new Map<string, string>();
  const refOf = (code: string | null): string | null => {
    if (code === null || visible.has(code) || code === chain.traceCode) return code;
    let ref = refs.get(code);
    if (!ref) refs.set(code, (ref = `redacted-${refs.size + 1}`));
    return ref;
  };
  const lots = chain.lots.map((l): ReadDoc | RedactedLot =>
    visible.has(l._id) ? l : { _id: refOf(l._id)!, regionCode: (l.holder as { regionCode?: string } | undefined)?.regionCode ?? null, redacted: true },
  );
  const edges = chain.edges.map((e): ChainEdge | RedactedEdge => {
    const receiverVisible = e.kind === 'off-ledger' ? visible.has(e.from) : e.to !== null && visible.has(e.to);
    const eitherVisible = visible.has(e.from) || (e.to !== null && visible.has(e.to));
    if (!eitherVisible) return { from: refOf(e.from)!, to: refOf(e.to), kind: e.kind, at: e.at, receiver: { redacted: true }, redacted: true };
    return { ...e, from: refOf(e.from)!, to: refOf(e.to), receiver: receiverVisible ? e.receiver : { redacted: true } };
  });
  const holders = chain.holders
    .map((h) => ({ ...h, traceCodes: h.traceCodes.filter((c) => visible.has(c)) }))
    .filter((h) => h.traceCodes.length > 0 && (!h.entityId.startsWith('off-ledger:') || chain.edges.some((e) => `off-ledger:${e.transferId}` === h.entityId && visible.has(e.from))));
  return {
    chain: { ...chain, origin: refOf(chain.origin), lots, edges, holders },
    grantsUsed: [...grantsUsed.values()],
  };
}

/**
 * Where a ledger stream is, for a checkpoint's list of stream heads: a lot by its trace code's region, an
 * e-ID claim by the e-ID's region, an entity by its registration (looked up by the caller). Undefined: the
 * stream has no region (accounts, access logs, checkpoints…) and only the national scope sees it.
 */
export type StreamPlaces = (streamId: string) => string | null | undefined;

export interface ScopedCheckpoint extends Checkpoint {
  /** Stream heads left out for the caller's scope; the signature covers the full list (verify with the national export). */
  withheldStreamHeads?: number;
}

/** A checkpoint as this caller may see it: stream heads outside its region are left out and counted. */
export function checkpointForScope(actor: Actor, checkpoint: Checkpoint, placeOf: StreamPlaces): ScopedCheckpoint {
  const scope = scopeOf(actor);
  if (scope === '') return checkpoint;
  const streamHeads: Record<string, number> = {};
  let withheld = 0;
  for (const [streamId, revision] of Object.entries(checkpoint.streamHeads)) {
    const place = placeOf(streamId);
    if (place !== undefined && covers(scope, place)) streamHeads[streamId] = revision;
    else withheld++;
  }
  return { ...checkpoint, streamHeads, withheldStreamHeads: withheld };
}

/** The streams named by checkpoints whose place is found by looking a record up (entities: by id). */
export function streamIdsToLookUp(checkpoints: readonly Checkpoint[]): { entityIds: string[] } {
  const entityIds = new Set<string>();
  for (const c of checkpoints) for (const id of Object.keys(c.streamHeads)) if (id.startsWith('entity-')) entityIds.add(id.slice('entity-'.length));
  return { entityIds: [...entityIds] };
}

/** The place of a stream from its id alone, or from the looked-up entity regions. */
export function streamPlaceFrom(entityRegions: ReadonlyMap<string, string>): StreamPlaces {
  return (streamId) => {
    if (streamId.startsWith('lot-')) return /^lot-\d{6}/.test(streamId) ? streamId.slice(4, 10) : undefined;
    if (streamId.startsWith('eid-')) return /^eid-\d{6}/.test(streamId) ? streamId.slice(4, 10) : undefined;
    if (streamId.startsWith('entity-')) return entityRegions.get(streamId.slice('entity-'.length));
    return undefined;
  };
}
