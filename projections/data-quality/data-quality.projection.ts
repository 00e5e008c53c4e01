import type { RecordedEvent } from '../../application/ports/event-store';
import {
  coordinatePrecision,
  duplicateBase,
  duplicateCreditCode,
  effectiveQualityRules,
  implausibleQuantity,
  missingFields,
  outsideDeclaredRegion,
  productionDateFuture,
  productionDateTooOld,
  QUALITY_RULE_EVENT_TYPES,
  staleFrom,
  staleRecordHit,
  type AppliedQualityRule,
  type Check,
  type DeclaredScale,
  type QualityRule,
  type SubjectKind,
} from '../../domain/data-quality';
import type { QualityRuleUpdated } from '../../domain/data-quality/rule-set';
import type { LotCreated } from '../../domain/lots/events';
import type { OriginRecordChanged, OriginRecordCollected, OriginRecordRefreshed, OriginRecordRetired } from '../../domain/origin/events';
import { ORIGIN_RECORD_EVENT_TYPES } from '../../domain/origin/events';
import type { OriginRecordFields } from '../../domain/origin/types';
import type { BaseAdded, RegistrationApplied, RegistrationRejected, RegistrationUpdated } from '../../domain/registration/events';
import type { Base } from '../../domain/registration/types';
import type { OffLedgerShipmentRecorded } from '../../domain/transfers/events';
import type { DocInput, Projection, ProjectionContext } from '../runner/projection';
import { apply, FINDINGS, findingId, flag, resolve, SUBJECTS, type Responsible, type Subject } from './findings';
import { claim, CELLS, CLAIMS, placePoint, pointsAround, removePoint, unclaim, type PlacedPoint } from './neighbours';
import { countFinding, countSubject as countScoreSubject, REGION_SCORES } from './region-scores';
import { StagedWrites } from './staged-writes';
import type { FindingDoc } from './findings';

/**
 * 追溯数据清洗 (seed 004 §六(三)) as a projection: every registration, base, produced lot, off-ledger shipment and
 * origin record (产地溯源信息) is run through the data-quality rules in force at its position in the log, and the
 * findings are kept one document per rule and record (`dq_findings`). A later event about the same record runs
 * its rules again, so a fix resolves its finding. Rules flag; commands are never refused by them.
 *
 * Collections: dq_findings, dq_subjects (every record checked: place, responsible person, the facts later
 * checks need), dq_cells and dq_claims (the duplicate look-ups), dq_rules (the ministry's rule changes).
 */
const RULES = 'dq_rules';
const RULES_DOC = 'ledger';

interface SubjectDoc extends Subject {
  _id: string;
  active: boolean;
  /** Log position of its first event: who came first among duplicates. */
  seq: number;
  point?: { lat: number; lon: number; raw: { lat: number | string; lon: number | string } } | null;
  creditCode?: string | null;
  baseIds?: string[];
  scale?: DeclaredScale & { product?: string | null };
  /** The pending or open stale-record finding of an origin record. */
  staleFindingId?: string | null;
}

const subjectKey = (kind: SubjectKind, id: string) => `${kind}:${id}`;

async function rulesInForce(w: StagedWrites): Promise<AppliedQualityRule[]> {
  const doc = await w.get<{ rules: Record<string, QualityRule> }>(RULES, RULES_DOC);
  return effectiveQualityRules({ rules: doc?.rules ?? {} });
}

function rulesOf(rules: AppliedQualityRule[], check: Check, kind?: SubjectKind): AppliedQualityRule[] {
  return rules.filter((r) => r.check === check && (check !== 'missingFields' || r.subjectKind === kind));
}

async function saveSubject(w: StagedWrites, s: SubjectDoc): Promise<void> {
  w.put(SUBJECTS, s as unknown as DocInput);
}

/**
 * Records checked per county (`dq_region_subjects`), for the score of every sub-region without scanning the
 * subjects: +1 when a record is first checked, −1 when it is withdrawn.
 */
const REGION_SUBJECTS = 'dq_region_subjects';
async function countSubject(w: StagedWrites, s: SubjectDoc, delta: 1 | -1): Promise<void> {
  const doc: { subjects: number; byKind: Record<string, number> } = (await w.get<{ subjects: number; byKind: Record<string, number> }>(REGION_SUBJECTS, s.regionCode)) ?? { subjects: 0, byKind: {} };
  w.put(REGION_SUBJECTS, { _id: s.regionCode, regionCode: s.regionCode, subjects: doc.subjects + delta, byKind: { ...doc.byKind, [s.kind]: (doc.byKind[s.kind] ?? 0) + delta } });
  countScoreSubject(w.ctx, s.regionCode, delta);
}

const asSubject = (s: SubjectDoc): Subject => ({ kind: s.kind, id: s.id, name: s.name, regionCode: s.regionCode, townshipCode: s.townshipCode, responsible: s.responsible, entityId: s.entityId });

/** A pair that is not a duplicate: an origin record collected for a base its own entity registered. */
const sameSite = (a: { kind: SubjectKind; entityId: string | null }, b: { kind: SubjectKind; entityId: string | null }) =>
  a.kind !== b.kind && a.entityId !== null && a.entityId === b.entityId;

/** Runs the duplicate-base rules on one placed subject against the points that came before it. */
async function checkDuplicatePoint(w: StagedWrites, rules: AppliedQualityRule[], s: SubjectDoc, at: string): Promise<void> {
  for (const rule of rulesOf(rules, 'duplicateBase')) {
    if (!s.point) {
      await apply(w, rule, asSubject(s), null, at);
      continue;
    }
    const earlier = (await pointsAround(w, s.point.lat, s.point.lon, subjectKey(s.kind, s.id))).filter((p) => p.seq < s.seq && !sameSite(p, s));
    await apply(w, rule, asSubject(s), duplicateBase(rule, s.point, earlier), at);
  }
}

/** Runs the point rules (precision, province, duplicates) and places the point on the grid. */
async function checkPoint(w: StagedWrites, rules: AppliedQualityRule[], s: SubjectDoc, at: string): Promise<void> {
  for (const rule of rulesOf(rules, 'coordinatePrecision')) await apply(w, rule, asSubject(s), s.point ? coordinatePrecision(rule, s.point.raw) : null, at);
  for (const rule of rulesOf(rules, 'outsideDeclaredRegion')) await apply(w, rule, asSubject(s), s.point ? outsideDeclaredRegion(rule, s.point.raw, s.regionCode) : null, at);
  if (s.point) {
    const placed: PlacedPoint = { key: subjectKey(s.kind, s.id), kind: s.kind, id: s.id, name: s.name, entityId: s.entityId, lat: s.point.lat, lon: s.point.lon, seq: s.seq };
    await placePoint(w, placed);
  }
  await checkDuplicatePoint(w, rules, s, at);
}

/**
 * A point left (moved, withdrawn): the later points near where it was may no longer be duplicates — their
 * duplicate rule runs again.
 */
async function pointLeft(w: StagedWrites, rules: AppliedQualityRule[], s: SubjectDoc, at: string): Promise<void> {
  if (!s.point) return;
  const key = subjectKey(s.kind, s.id);
  await removePoint(w, key, s.point.lat, s.point.lon);
  const later = (await pointsAround(w, s.point.lat, s.point.lon, key)).filter((p) => p.seq > s.seq);
  for (const p of later) {
    const other = await w.get<SubjectDoc>(SUBJECTS, p.key);
    if (other?.active) await checkDuplicatePoint(w, rules, other, at);
  }
}

async function checkMissing(w: StagedWrites, rules: AppliedQualityRule[], s: SubjectDoc, record: unknown, at: string): Promise<void> {
  for (const rule of rulesOf(rules, 'missingFields', s.kind)) await apply(w, rule, asSubject(s), missingFields(rule, record), at);
}

/** Credit-code duplicates: flagged on every claimant after the first, resolved when it becomes the first or leaves. */
async function checkClaimants(w: StagedWrites, rules: AppliedQualityRule[], code: string, holders: { key: string; id: string; kind: SubjectKind; name: string | null }[], at: string): Promise<void> {
  for (const rule of rulesOf(rules, 'duplicateCreditCode')) {
    for (const [i, h] of holders.entries()) {
      const s = await w.get<SubjectDoc>(SUBJECTS, h.key);
      if (!s) continue;
      await apply(w, rule, asSubject(s), duplicateCreditCode(rule, code, holders.slice(0, i).map((o) => ({ kind: o.kind, id: o.id, name: o.name }))), at);
    }
  }
}

/** Every open finding of a withdrawn record is resolved as withdrawn; its point and claim leave the look-ups. */
async function withdraw(w: StagedWrites, rules: AppliedQualityRule[], s: SubjectDoc, at: string): Promise<void> {
  for (const rule of rules) await resolve(w, findingId(rule.ruleId, s.kind, s.id), at, 'withdrawn');
  if (s.staleFindingId) await settleStale(w, s.staleFindingId, at);
  await saveSubject(w, { ...s, active: false, staleFindingId: null });
  await countSubject(w, s, -1);
  await pointLeft(w, rules, s, at);
  if (s.creditCode) {
    const left = await unclaim(w, s.creditCode, subjectKey(s.kind, s.id));
    await checkClaimants(w, rules, s.creditCode, left, at);
  }
}

// ——— registrations and their bases ———

function baseSubject(entityId: string, base: Base, responsible: Responsible | null, seq: number): SubjectDoc {
  const id = `${entityId}:${base.baseId}`;
  return {
    _id: subjectKey('base', id),
    kind: 'base',
    id,
    name: base.name,
    regionCode: base.regionCode,
    townshipCode: base.townshipCode ?? null,
    responsible,
    entityId,
    active: true,
    seq,
    point: { lat: base.lat, lon: base.lon, raw: { lat: base.lat, lon: base.lon } },
    scale: { mu: base.areaMu ?? null, head: null },
  };
}

/** Order among records: the log position, then the base's place in its event (two bases of one application). */
const seqOf = (position: number, ordinal = 0) => position * 1000 + ordinal;

async function addBase(w: StagedWrites, rules: AppliedQualityRule[], entityId: string, base: Base, responsible: Responsible | null, e: RecordedEvent, ordinal: number): Promise<void> {
  const s = baseSubject(entityId, base, responsible, seqOf(e.position, ordinal));
  await saveSubject(w, s);
  await countSubject(w, s, 1);
  await checkPoint(w, rules, s, e.recordedAt);
  await checkMissing(w, rules, s, base, e.recordedAt);
}

async function registrationApplied(w: StagedWrites, rules: AppliedQualityRule[], e: RecordedEvent): Promise<void> {
  const d = (e as unknown as RegistrationApplied).data;
  const responsible: Responsible = { name: d.legalRepresentative, phone: d.contactPhone };
  const s: SubjectDoc = {
    _id: subjectKey('entity', d.entityId),
    kind: 'entity',
    id: d.entityId,
    name: d.name,
    regionCode: d.regionCode,
    townshipCode: d.townshipCode ?? null,
    responsible,
    entityId: d.entityId,
    active: true,
    seq: seqOf(e.position),
    creditCode: d.creditCode ?? null,
    baseIds: d.bases.map((b) => b.baseId),
  };
  await saveSubject(w, s);
  await countSubject(w, s, 1);
  const { bases: _bases, ...record } = d;
  await checkMissing(w, rules, s, record, e.recordedAt);
  if (d.creditCode) {
    const holders = await claim(w, d.creditCode, { key: s._id, kind: 'entity', id: d.entityId, name: d.name, seq: s.seq });
    await checkClaimants(w, rules, d.creditCode, holders, e.recordedAt);
  }
  for (const [i, base] of d.bases.entries()) await addBase(w, rules, d.entityId, base, responsible, e, i + 1);
}

async function registrationUpdated(w: StagedWrites, rules: AppliedQualityRule[], e: RecordedEvent): Promise<void> {
  const d = (e as unknown as RegistrationUpdated).data;
  const s = await w.get<SubjectDoc>(SUBJECTS, subjectKey('entity', d.entityId));
  if (!s || !s.active) return;
  const responsible: Responsible = { name: d.changes.legalRepresentative ?? s.responsible?.name ?? null, phone: d.changes.contactPhone ?? s.responsible?.phone ?? null };
  const next: SubjectDoc = { ...s, name: d.changes.name ?? s.name, responsible };
  await saveSubject(w, next);
  await checkMissing(w, rules, next, { ...next, townshipCode: s.townshipCode }, e.recordedAt);
}

// ——— lots and transfers ———

async function lotCreated(w: StagedWrites, rules: AppliedQualityRule[], e: RecordedEvent): Promise<void> {
  const d = (e as unknown as LotCreated).data;
  if (d.origin.kind !== 'produced') return; // a hand-over's child lot: quantity and date come from its parent
  const entity = await w.get<SubjectDoc>(SUBJECTS, subjectKey('entity', d.entityId));
  const base = await w.get<SubjectDoc>(SUBJECTS, subjectKey('base', `${d.entityId}:${d.base.baseId}`));
  const s: SubjectDoc = {
    _id: subjectKey('lot', d.traceCode),
    kind: 'lot',
    id: d.traceCode,
    name: `${d.product} ${d.traceCode}`,
    regionCode: d.base.regionCode,
    townshipCode: base?.townshipCode ?? null,
    responsible: entity?.responsible ?? null,
    entityId: d.entityId,
    active: true,
    seq: seqOf(e.position),
  };
  await saveSubject(w, s);
  await countSubject(w, s, 1);
  const scale = await lotScale(w, d.entityId, d.product, base);
  for (const rule of rulesOf(rules, 'implausibleQuantity')) await apply(w, rule, asSubject(s), implausibleQuantity(rule, d, scale), e.recordedAt);
  for (const rule of rulesOf(rules, 'productionDateFuture')) await apply(w, rule, asSubject(s), productionDateFuture(rule, d.productionDate, e.recordedAt), e.recordedAt);
  for (const rule of rulesOf(rules, 'productionDateTooOld')) await apply(w, rule, asSubject(s), productionDateTooOld(rule, d.productionDate, e.recordedAt), e.recordedAt);
}

/** The base's area; for a base without one, the scale of the entity's origin record of the same product. */
async function lotScale(w: StagedWrites, entityId: string, product: string, base: SubjectDoc | null): Promise<DeclaredScale> {
  if (base?.scale?.mu) return base.scale;
  const scales = await w.get<{ records: Record<string, { product: string; mu: number | null; head: number | null }> }>(ORIGIN_SCALES, entityId);
  const match = Object.values(scales?.records ?? {}).find((r) => r.product === product);
  return match ? { mu: match.mu, head: match.head } : (base?.scale ?? {});
}

async function offLedgerShipment(w: StagedWrites, rules: AppliedQualityRule[], e: RecordedEvent): Promise<void> {
  const d = (e as unknown as OffLedgerShipmentRecorded).data;
  const entity = await w.get<SubjectDoc>(SUBJECTS, subjectKey('entity', d.fromEntityId));
  if (!entity) return;
  const s: SubjectDoc = {
    _id: subjectKey('transfer', d.transferId),
    kind: 'transfer',
    id: d.transferId,
    name: `${d.fromTraceCode} → ${d.receiver.name}`,
    regionCode: entity.regionCode,
    townshipCode: entity.townshipCode,
    responsible: entity.responsible,
    entityId: d.fromEntityId,
    active: true,
    seq: seqOf(e.position),
  };
  await saveSubject(w, s);
  await countSubject(w, s, 1);
  await checkMissing(w, rules, s, { receiver: d.receiver }, e.recordedAt);
}

// ——— origin records (产地溯源信息采集, domain/origin) ———

const ORIGIN_SCALES = 'dq_origin_scales';

function originSubject(d: OriginRecordCollected['data'] | OriginRecordChanged['data'], seq: number, previous: SubjectDoc | null): SubjectDoc {
  const f = d.fields;
  const lat = Number(f.point?.lat);
  const lon = Number(f.point?.lon);
  const amount = Number(f.scale?.amount);
  return {
    _id: subjectKey('origin', d.recordId),
    kind: 'origin',
    id: d.recordId,
    name: `${f.producerName ?? ''} ${f.product?.name ?? ''}`.trim() || d.recordId,
    regionCode: d.countyCode,
    townshipCode: d.townshipCode || null,
    responsible: f.collector ? { name: f.collector.name, phone: f.collector.mobile, userId: ('collectedBy' in d ? d.collectedBy : d.changedBy).userId } : null,
    entityId: f.entityId ?? null,
    active: true,
    seq: previous?.seq ?? seq,
    point: f.point && Number.isFinite(lat) && Number.isFinite(lon) ? { lat, lon, raw: { lat: f.point.lat, lon: f.point.lon } } : null,
    scale: { product: f.product?.name ?? null, mu: f.scale?.unit === '亩' && Number.isFinite(amount) ? amount : null, head: f.scale && f.scale.unit !== '亩' && Number.isFinite(amount) ? amount : null },
    staleFindingId: previous?.staleFindingId ?? null,
  };
}

/**
 * A stale-record finding is written ahead, dated from the moment the record becomes stale (its refresh due date
 * plus the grace): the API lists a finding only from its firstSeenAt, so it "opens" by the clock alone. A
 * refresh or change settles the pending one — resolved if it had come due, deleted if not — and writes the next.
 */
async function settleStale(w: StagedWrites, id: string, at: string): Promise<void> {
  const pending = await w.get<{ firstSeenAt: string; status: string }>(FINDINGS, id);
  if (!pending || pending.status !== 'open') return;
  if (pending.firstSeenAt <= at) await resolve(w, id, at, 'fixed');
  else w.delete(FINDINGS, id);
}

async function scheduleStale(w: StagedWrites, rules: AppliedQualityRule[], s: SubjectDoc, refreshDueAt: string, at: string): Promise<SubjectDoc> {
  if (s.staleFindingId) await settleStale(w, s.staleFindingId, at);
  let staleFindingId: string | null = null;
  for (const rule of rulesOf(rules, 'staleRecord')) {
    if (!rule.enabled) continue;
    const staleAt = staleFrom(rule, refreshDueAt);
    const id = findingId(rule.ruleId, 'origin', s.id, staleAt);
    await flag(w, rule, asSubject(s), staleRecordHit(refreshDueAt, staleAt), at, { id, firstSeenAt: staleAt });
    staleFindingId = id;
  }
  return { ...s, staleFindingId };
}

async function originCollectedOrChanged(w: StagedWrites, rules: AppliedQualityRule[], e: RecordedEvent): Promise<void> {
  const d = (e as unknown as OriginRecordCollected | OriginRecordChanged).data;
  const previous = await w.get<SubjectDoc>(SUBJECTS, subjectKey('origin', d.recordId));
  if (previous?.point) await pointLeft(w, rules, previous, e.recordedAt);
  let s = originSubject(d, seqOf(e.position), previous);
  s = await scheduleStale(w, rules, s, d.refreshDueAt, e.recordedAt);
  await saveSubject(w, s);
  if (!previous?.active) await countSubject(w, s, 1);
  await checkPoint(w, rules, s, e.recordedAt);
  await checkMissing(w, rules, s, d.fields as OriginRecordFields, e.recordedAt);
  await indexOriginScale(w, previous?.entityId ?? null, s);
}

/** Lots of an entity whose base gives no area are judged against its origin records' scale (by product). */
async function indexOriginScale(w: StagedWrites, previousEntity: string | null, s: SubjectDoc): Promise<void> {
  type Scales = { records: Record<string, { product: string; mu: number | null; head: number | null }> };
  if (previousEntity && previousEntity !== s.entityId) {
    const old = await w.get<Scales>(ORIGIN_SCALES, previousEntity);
    if (old) {
      const { [s.id]: _gone, ...records } = old.records;
      w.put(ORIGIN_SCALES, { _id: previousEntity, records });
    }
  }
  if (!s.entityId || !s.scale?.product) return;
  const doc = (await w.get<Scales>(ORIGIN_SCALES, s.entityId)) ?? { records: {} };
  w.put(ORIGIN_SCALES, { _id: s.entityId, records: { ...doc.records, [s.id]: { product: s.scale.product, mu: s.scale.mu ?? null, head: s.scale.head ?? null } } });
}

async function originRefreshed(w: StagedWrites, rules: AppliedQualityRule[], e: RecordedEvent): Promise<void> {
  const d = (e as unknown as OriginRecordRefreshed).data;
  const s = await w.get<SubjectDoc>(SUBJECTS, subjectKey('origin', d.recordId));
  if (!s || !s.active) return;
  await saveSubject(w, await scheduleStale(w, rules, s, d.refreshDueAt, e.recordedAt));
}

async function originRetired(w: StagedWrites, rules: AppliedQualityRule[], e: RecordedEvent): Promise<void> {
  const d = (e as unknown as OriginRecordRetired).data;
  const s = await w.get<SubjectDoc>(SUBJECTS, subjectKey('origin', d.recordId));
  if (s?.active) await withdraw(w, rules, s, e.recordedAt);
}

// ——— the projection ———

async function applyEvent(w: StagedWrites, e: RecordedEvent): Promise<void> {
  if (e.type === 'QualityRuleUpdated') {
    const d = (e as unknown as QualityRuleUpdated).data;
    const doc = await w.get<{ rules: Record<string, QualityRule> }>(RULES, RULES_DOC);
    w.put(RULES, { _id: RULES_DOC, rules: { ...(doc?.rules ?? {}), [d.ruleId]: d.rule } });
    return;
  }
  const rules = await rulesInForce(w);
  switch (e.type) {
    case 'RegistrationApplied':
      return registrationApplied(w, rules, e);
    case 'RegistrationUpdated':
      return registrationUpdated(w, rules, e);
    case 'BaseAdded': {
      const d = (e as unknown as BaseAdded).data;
      const entity = await w.get<SubjectDoc>(SUBJECTS, subjectKey('entity', d.entityId));
      if (!entity?.active) return;
      await saveSubject(w, { ...entity, baseIds: [...(entity.baseIds ?? []), d.base.baseId] });
      return addBase(w, rules, d.entityId, d.base, entity.responsible, e, 1);
    }
    case 'RegistrationRejected': {
      const d = (e as unknown as RegistrationRejected).data;
      const entity = await w.get<SubjectDoc>(SUBJECTS, subjectKey('entity', d.entityId));
      if (!entity?.active) return;
      for (const baseId of entity.baseIds ?? []) {
        const base = await w.get<SubjectDoc>(SUBJECTS, subjectKey('base', `${d.entityId}:${baseId}`));
        if (base?.active) await withdraw(w, rules, base, e.recordedAt);
      }
      return withdraw(w, rules, entity, e.recordedAt);
    }
    case 'LotCreated':
      return lotCreated(w, rules, e);
    case 'OffLedgerShipmentRecorded':
      return offLedgerShipment(w, rules, e);
    case 'OriginRecordCollected':
    case 'OriginRecordChanged':
      return originCollectedOrChanged(w, rules, e);
    case 'OriginRecordRefreshed':
      return originRefreshed(w, rules, e);
    case 'OriginRecordRetired':
      return originRetired(w, rules, e);
  }
}

export const dataQualityProjection: Projection = {
  name: 'data-quality',
  // 2: dq_region_scores (open findings by day and severity, records checked, per region prefix) for the scores
  version: 2,
  handles: [
    'RegistrationApplied',
    'RegistrationUpdated',
    'RegistrationRejected',
    'BaseAdded',
    'LotCreated',
    'OffLedgerShipmentRecorded',
    ...ORIGIN_RECORD_EVENT_TYPES.filter((t) => ['OriginRecordCollected', 'OriginRecordChanged', 'OriginRecordRefreshed', 'OriginRecordRetired'].includes(t)),
    ...QUALITY_RULE_EVENT_TYPES,
  ],
  collections: [FINDINGS, SUBJECTS, CELLS, CLAIMS, RULES, ORIGIN_SCALES, REGION_SUBJECTS, REGION_SCORES],
  async apply(event: RecordedEvent, ctx: ProjectionContext): Promise<void> {
    // Each finding's open/closed change is counted where the scores read it (region-scores.ts).
    const w = new StagedWrites(ctx, { collection: FINDINGS, changed: (before, after) => countFinding(ctx, before as unknown as FindingDoc | null, after as unknown as FindingDoc | null) });
    await applyEvent(w, event);
    await w.flush();
  },
};

/** Indexes the data-quality queries rely on. */
export const dataQualityReadModelIndexes: Record<string, string[][]> = {
  dq_findings: [['regionCode'], ['status', 'firstSeenAt'], ['ruleId'], ['category'], ['month']],
  dq_subjects: [['regionCode'], ['townshipCode'], ['active']],
  dq_region_subjects: [['regionCode']],
  dq_region_scores: [['level', 'region']],
};
