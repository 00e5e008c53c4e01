import { regionOfEid } from '../../domain/registration/eid';
import type { ReadDoc } from '../ports/read-store';
import { prefixOf } from './region-scope';

/**
 * What the policy needs to know about a record to decide who may see or act on it: where it is, who is
 * party to it, who is assigned to it, and what a grant could name it by. One builder per record kind, so
 * that a controller or handler hands the policy a record and never reads its region itself.
 */
export type ResourceKind = 'entity' | 'lot' | 'transfer' | 'sample' | 'task' | 'inspection' | 'case' | 'warning' | 'incident' | 'account' | 'stream' | 'region' | 'origin-record' | 'complaint';

export interface Resource {
  kind: ResourceKind;
  id: string;
  /** Where the record is (GB/T 2260 codes, county or township). Any place in scope puts it in scope. */
  places: (string | null)[];
  /**
   * Where acting on it is decided, when that is narrower than where it is seen (an incident is seen in every
   * region its chain runs through and managed by its lead agency). Absent: the same as `places`.
   */
  actPlaces?: (string | null)[];
  /** Regions are matched by overlap, not containment (a monitoring task: a county takes part in its province's). */
  overlap?: boolean;
  /** Organisations party to it, who see it whatever their region (the holder, both sides of a transfer, the task's labs). */
  parties: string[];
  /** Users assigned to it (an inspection task's inspectors). */
  assignees: string[];
  /** What a grant names it by: its lots and entities, or (an incident) the incident whose response the grant serves. */
  traceCodes: string[];
  entityIds: string[];
  incidentIds?: string[];
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

/** Township codes (nine digits) a record carries, as strings; anything else is left out. */
function townshipCodes(...values: unknown[]): string[] {
  const out: string[] = [];
  for (const v of values.flat()) if (typeof v === 'string' && /^\d{9}$/.test(v) && !out.includes(v)) out.push(v);
  return out;
}

/**
 * An entity (主体): where it is registered — its county, and the townships the registry locates it in (its
 * own, and those of its bases inside its county: a township's supervision station supervises the production
 * sites in it). A county scope covers both; a township scope only the township codes. The entity itself is
 * party to its own record. The read model carries the same codes as `townshipCodes` (the list filter).
 */
export function entityResource(doc: { _id: string; regionCode?: unknown; townshipCode?: unknown; townshipCodes?: unknown; bases?: unknown }): Resource {
  const county = str(doc.regionCode);
  const bases = Array.isArray(doc.bases) ? (doc.bases as { townshipCode?: unknown }[]) : [];
  const townships = townshipCodes(doc.townshipCode, Array.isArray(doc.townshipCodes) ? doc.townshipCodes : [], bases.map((b) => b?.townshipCode)).filter(
    (t) => county === null || t.startsWith(county),
  );
  return base('entity', doc._id, { places: [county, ...townships], parties: [doc._id], entityIds: [doc._id] });
}

/**
 * A lot (批次): where its holder is now (where supervision can act on the goods) — the holder's county, and
 * the townships the lots read model locates it in (`townshipCodes`: the holder's township, and for a lot
 * still with its producer the base's). The holder is party.
 */
export function lotResource(doc: ReadDoc): Resource {
  const holder = (doc.holder ?? {}) as { entityId?: string; regionCode?: string; townshipCode?: string };
  const county = holder.regionCode ?? null;
  const townships = townshipCodes(holder.townshipCode, Array.isArray(doc.townshipCodes) ? doc.townshipCodes : []).filter((t) => county === null || t.startsWith(county));
  return base('lot', doc._id, {
    places: [county, ...townships],
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

/** An inspection task as its handler loads it (the decider's state: inspectors by user id, the publisher's org). */
export function inspectionStateResource(state: { inspectionId: string; regionCode: string; inspectors: readonly string[]; publisherOrgId: string }): Resource {
  return base('inspection', state.inspectionId, {
    places: [state.regionCode || null],
    parties: state.publisherOrgId ? [state.publisherOrgId] : [],
    assignees: [...state.inspectors],
  });
}

/**
 * An incident (应急事件, decision 0013): seen by supervision of every region it concerns — where it happened,
 * every region its chain runs through, its lead agency — and by an agency a grant of its response names;
 * managed (graded, reviewed, logged, published, closed) by its responsible person and by supervision whose
 * region contains the lead agency's region (the lead agency and the levels above it). Accepts the read
 * model's document or the decider's state (which has no place: it is not needed to manage).
 */
export function incidentResource(doc: {
  _id?: string;
  incidentId?: string;
  place?: { regionCode?: unknown } | null;
  regionsTouched?: unknown;
  leadRegionCode?: unknown;
  responsible?: { userId?: unknown } | null;
}): Resource {
  const id = doc._id ?? doc.incidentId ?? '';
  const lead = typeof doc.leadRegionCode === 'string' ? doc.leadRegionCode : null;
  const touched = Array.isArray(doc.regionsTouched) ? (doc.regionsTouched as unknown[]).filter((r): r is string => typeof r === 'string') : [];
  const responsible = typeof doc.responsible?.userId === 'string' ? [doc.responsible.userId] : [];
  return base('incident', id, {
    places: [str(doc.place?.regionCode), ...touched, lead],
    // '' (a ministry-led incident) is managed by the national scope only: no regional scope covers ''.
    actPlaces: [lead],
    assignees: responsible,
    incidentIds: [id],
  });
}

/** Where an incident may be recorded (录入): in the region where it happened. */
export function incidentPlaceResource(placeRegionCode: string | null | undefined): Resource {
  return base('incident', '(new)', { places: [placeRegionCode ?? null] });
}

/** An account, administered (disabled, unlocked, reset) by admins whose region covers the account's. */
export function accountResource(account: { accountId: string; regionCode?: string | null }): Resource {
  return base('account', account.accountId, { places: [account.regionCode ?? null] });
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

/** A 12316 complaint: where the product is sold (the county its supervision answers for). */
export function complaintResource(doc: ReadDoc): Resource {
  return base('complaint', doc._id, { places: [str(doc.regionCode)], traceCodes: str(doc.traceCode) ? [doc.traceCode as string] : [] });
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

/**
 * An origin record (产地溯源信息, seed 003): where its base is — the village code (twelve digits), which a
 * province, county or township scope covers by prefix. Party to it: the registered entity it belongs to (a
 * registered enterprise collects its own) and the organisation that collected it; its collector is assigned.
 */
export function originRecordResource(doc: { _id: string; villageCode?: unknown; entityId?: unknown; collectorOrgId?: unknown; collectorUserId?: unknown }): Resource {
  const entity = str(doc.entityId);
  const parties = [entity, str(doc.collectorOrgId)].filter((p): p is string => p !== null);
  const assignee = str(doc.collectorUserId);
  return base('origin-record', doc._id, { places: [str(doc.villageCode)], parties, assignees: assignee ? [assignee] : [], entityIds: entity ? [entity] : [] });
}

/** The whole ledger (the export): the national scope only. */
export function wholeLedger(): Resource {
  return base('stream', '*', { nationalOnly: true });
}
