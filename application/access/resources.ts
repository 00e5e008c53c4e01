import { regionOfEid } from '../../domain/registration/eid';
import type { ReadDoc } from '../ports/read-store';
import { prefixOf } from './region-scope';

/**
 * What the policy needs to know about a record to decide who may see or act on it: where it is, who is
 * party to it, who is assigned to it, and what a grant could name it by. One builder per record kind, so
 * that a controller or handler hands the policy a record and never reads its region itself.
 */
export type ResourceKind = 'entity' | 'lot' | 'transfer' | 'sample' | 'task' | 'inspection' | 'case' | 'warning' | 'stream' | 'region';

export interface Resource {
  kind: ResourceKind;
  id: string;
  /** Where the record is (GB/T 2260 codes, county or township). Any place in scope puts it in scope. */
  places: (string | null)[];
  /** Regions are matched by overlap, not containment (a monitoring task: a county takes part in its province's). */
  overlap?: boolean;
  /** Organisations party to it, who see it whatever their region (the holder, both sides of a transfer, the task's labs). */
  parties: string[];
  /** Users assigned to it (an inspection task's inspectors). */
  assignees: string[];
  /** What a grant names it by. */
  traceCodes: string[];
  entityIds: string[];
  /** Only the national scope may see it at all (the whole-ledger export, streams without a region). */
  nationalOnly?: boolean;
}

const base = (kind: ResourceKind, id: string, over: Partial<Resource>): Resource => ({
  kind,
  id,
  places: [],
  parties: [],
  assignees: [],
  traceCodes: [],
  entityIds: [],
  ...over,
});

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** An entity (主体): where it is registered; the entity itself is party to its own record. */
export function entityResource(doc: { _id: string; regionCode?: unknown; townshipCode?: unknown }): Resource {
  return base('entity', doc._id, { places: [str(doc.townshipCode) ?? str(doc.regionCode)], parties: [doc._id], entityIds: [doc._id] });
}

/** A lot (批次): where its holder is now (where supervision can act on the goods); the holder is party. */
export function lotResource(doc: ReadDoc): Resource {
  const holder = (doc.holder ?? {}) as { entityId?: string; regionCode?: string; townshipCode?: string };
  return base('lot', doc._id, {
    places: [holder.townshipCode ?? holder.regionCode ?? null],
    parties: holder.entityId ? [holder.entityId] : [],
    traceCodes: [doc._id],
    entityIds: holder.entityId ? [holder.entityId] : [],
  });
}

/** A transfer: sender and receiver are party; supervision of either side sees it. */
export function transferResource(doc: ReadDoc): Resource {
  const parties = [str(doc.fromEntityId), str(doc.toEntityId)].filter((x): x is string => x !== null);
  return base('transfer', doc._id, {
    places: [str(doc.fromRegion), str(doc.toRegion)].filter((x) => x !== null),
    parties,
    traceCodes: [str(doc.fromTraceCode), str(doc.childTraceCode)].filter((x): x is string => x !== null),
    entityIds: parties,
  });
}

/** A sample: where the sampled party is; its lab, its re-test lab and the sampled entity are party. */
export function sampleResource(doc: ReadDoc): Resource {
  const subject = (doc.subject ?? {}) as { entityId?: string | null };
  const retestLab = (doc.retestRequest as { retestLab?: { orgId?: string } } | null | undefined)?.retestLab?.orgId;
  return base('sample', doc._id, {
    places: [str(doc.regionCode)],
    parties: [str(doc.labOrgId), retestLab ?? null, subject.entityId ?? null].filter((x): x is string => x !== null),
    traceCodes: str(doc.traceCode) ? [doc.traceCode as string] : [],
    entityIds: subject.entityId ? [subject.entityId] : [],
  });
}

/** A monitoring task: published for a region (matched by overlap), party to its publisher and its labs. */
export function taskResource(doc: ReadDoc): Resource {
  const labs = Array.isArray(doc.labOrgIds) ? (doc.labOrgIds as string[]) : [];
  return base('task', doc._id, {
    places: [str(doc.regionCode)],
    overlap: true,
    parties: [str(doc.publisherOrgId), ...labs].filter((x): x is string => x !== null),
  });
}

/** An inspection task (巡查): its region, its publisher, and the inspectors it names. */
export function inspectionResource(doc: ReadDoc): Resource {
  const publisher = (doc.publisher ?? {}) as { orgId?: string };
  return base('inspection', doc._id, {
    places: [str(doc.regionCode)],
    parties: publisher.orgId ? [publisher.orgId] : [],
    assignees: Array.isArray(doc.inspectorIds) ? (doc.inspectorIds as string[]) : [],
  });
}

/** A record located by one region code and nothing else (a case or a warning as its handler loads it). */
export function regionalRecord(kind: ResourceKind, id: string, regionCode: string | null | undefined): Resource {
  return base(kind, id, { places: [regionCode ?? null] });
}

/** An enforcement case: where the party concerned is. */
export function caseResource(doc: ReadDoc): Resource {
  return base('case', doc._id, {
    places: [str(doc.regionCode)],
    traceCodes: Array.isArray(doc.traceCodes) ? (doc.traceCodes as string[]) : [],
    entityIds: str(doc.entityId) ? [doc.entityId as string] : [],
  });
}

/** A risk warning: where its subject is. */
export function warningResource(doc: ReadDoc): Resource {
  return base('warning', doc._id, {
    places: [str(doc.regionCode)],
    traceCodes: str(doc.traceCode) ? [doc.traceCode as string] : [],
    entityIds: str(doc.entityId) ? [doc.entityId as string] : [],
  });
}

/**
 * A ledger stream, for replay by auditors: an entity's registration region, a lot's holder (by its e-ID), a
 * transfer's sender. Every other stream (accounts, access logs, claims, checkpoints) has no region and is
 * national.
 */
export function streamResource(streamId: string, state: unknown): Resource {
  const s = (state ?? {}) as { regionCode?: string; eid?: string; fromEid?: string };
  const eidRegion = (eid: string | undefined) => (typeof eid === 'string' && eid.length >= 6 ? regionOfEid(eid) : null);
  let place: string | null | undefined;
  if (streamId.startsWith('entity-')) place = s.regionCode ?? null;
  else if (streamId.startsWith('lot-')) place = eidRegion(s.eid);
  else if (streamId.startsWith('transfer-')) place = eidRegion(s.fromEid);
  return place === undefined ? base('stream', streamId, { nationalOnly: true }) : base('stream', streamId, { places: [place] });
}

/**
 * A region asked for by a command (publish a task or an inspection there). Six-digit codes of provinces and
 * cities stand for their prefix: a province admin publishes for '460000'.
 */
export function regionResource(code: string): Resource {
  return base('region', code, { places: [prefixOf(code)] });
}

/** The whole ledger (the export): the national scope only. */
export function wholeLedger(): Resource {
  return base('stream', '*', { nationalOnly: true });
}
