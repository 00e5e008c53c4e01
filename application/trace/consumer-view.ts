import { regionName } from '../../domain/shared/region-codes';
import type { ReadDoc } from '../ports/read-store';
import type { ReadModels } from '../ports/read-models';
import { entityTypes } from './entity-types';
import { holdHistoryOf } from './lot-document';
import { coarseCoordinate, isPrivatePerson, maskBaseName, maskName } from './masking';

export interface PublicHolder {
  name: string;
  entityType: string | null;
  regionCode: string;
  regionName: string;
}

/** A public notice of an incident response, as the incidents projection keeps it (projections/incidents). */
export interface PublicNotice {
  noticeId: string;
  title: string;
  body: string;
  publishedAt: string;
}

/** The notices of incidents still open about this lot; a closed incident's notice is no longer current. */
async function openNotices(models: ReadModels, traceCode: string): Promise<{ notices: PublicNotice[]; stamp: string }> {
  const docs = await openNoticeDocs(models, traceCode);
  return {
    notices: docs.map((d) => ({ noticeId: d._id, title: d.title as string, body: d.body as string, publishedAt: d.publishedAt as string })),
    stamp: noticeStamp(docs),
  };
}

export function openNoticeDocs(models: ReadModels, traceCode: string): Promise<ReadDoc[]> {
  return models.find('incident_notices', { traceCodes: traceCode, incidentClosedAt: null }, { sort: { publishedAt: -1 }, limit: 20 });
}

/** Which notices, at which versions: a notice published, changed or closed changes it. */
export function noticeStamp(docs: readonly ReadDoc[]): string {
  return docs.map((d) => `${d._id}@${d._v}`).join(',');
}

export interface ConsumerView {
  traceCode: string;
  product: string;
  productionDate: string;
  quantity: { amount: number; unit: string };
  /** normal | on-hold (不合格 / 风险预警) */
  status: 'normal' | 'on-hold';
  origin: {
    entity: PublicHolder;
    base: { name: string; regionCode: string; regionName: string; lat: number; lon: number };
    traceCode: string;
  };
  /** Origin first, this lot last: each hand-over with date and place. */
  chain: { traceCode: string; holder: PublicHolder; date: string; place: string; quantity: { amount: number; unit: string } }[];
  certificates: { certificateNo: string; market: { name: string; kind: string; regionCode: string }; issuedAt: string }[];
  verdicts: unknown[];
  /** The open holds (暂停销售), each naming its reason; empty when the lot is normal. */
  warnings: PublicHold[];
  /** 应急信息发布: public notices of open incidents about this lot (newest first). */
  notices: PublicNotice[];
  /** Every putting-on-hold and lifting of this lot, oldest first: a lifting says what decided it and why. */
  holdHistory: PublicHoldEvent[];
}

export interface PublicHold {
  holdId: string;
  kind: 'failed-result' | 'case' | 'incident';
  label: string;
  reason: string;
  since: string;
  sourceTraceCode: string | null;
  level: string | null;
  levelLabel: string | null;
  indicator: string | null;
}

export interface PublicHoldEvent {
  event: 'held' | 'lifted';
  holdId: string;
  kind: 'failed-result' | 'case' | 'incident';
  /** For a lifting: retest-passed, case-closed or incident-closed. */
  decision: string | null;
  reason: string;
  at: string;
  sourceTraceCode: string | null;
}

/** Only what the public may read of a hold: no case, sample or incident ids, no owner details. */
function publicHold(h: Record<string, unknown>): PublicHold {
  const owner = (h.owner as { kind?: PublicHold['kind'] } | undefined) ?? {};
  return {
    holdId: h.holdId as string,
    kind: owner.kind ?? 'failed-result',
    label: h.label as string,
    reason: h.reason as string,
    since: h.since as string,
    sourceTraceCode: (h.sourceTraceCode as string | null) ?? null,
    level: (h.level as string | null) ?? null,
    levelLabel: (h.levelLabel as string | null) ?? null,
    indicator: (h.indicator as string | null) ?? null,
  };
}

function publicHoldEvent(e: Record<string, unknown>): PublicHoldEvent {
  return {
    event: e.event as PublicHoldEvent['event'],
    holdId: e.holdId as string,
    kind: e.ownerKind as PublicHoldEvent['kind'],
    decision: (e.decisionKind as string | null) ?? null,
    reason: e.reason as string,
    at: e.at as string,
    sourceTraceCode: (e.sourceTraceCode as string | null) ?? null,
  };
}

/** Region names are fixed data (GB/T 2260) and few: resolve each code once, not once per lot per request. */
const regionNames = new Map<string, string>();
function placeName(code: string): string {
  let name = regionNames.get(code);
  if (name === undefined) {
    name = regionName(code) ?? code;
    regionNames.set(code, name);
  }
  return name;
}

/** How many hand-overs back the public view goes (as the full chain query's default depth for it). */
const MAX_DEPTH = 64;

/**
 * The lot and its ancestors, origin first: parent links only. The public view shows no transfer edges, so
 * it reads one document per hand-over instead of the chain query's two (lot and edge).
 */
async function lineage(models: ReadModels, traceCode: string): Promise<ReadDoc[] | null> {
  const start = await models.get('lots', traceCode);
  if (!start) return null;
  const ordered: ReadDoc[] = [start];
  const seen = new Set<string>([traceCode]);
  for (let current = start, depth = 0; current.parentTraceCode && depth < MAX_DEPTH; depth++) {
    const parentCode = current.parentTraceCode as string;
    if (seen.has(parentCode)) break;
    const parent = await models.get('lots', parentCode);
    if (!parent) break;
    seen.add(parentCode);
    ordered.unshift(parent);
    current = parent;
  }
  return ordered;
}

/** What anyone holding the label sees: the chain back to the origin, masked. */
export async function consumerView(models: ReadModels, traceCode: string): Promise<ConsumerView | null> {
  return (await builtConsumerView(models, traceCode))?.view ?? null;
}

/**
 * A view and what it was built from, for the cache (./consumer-view-cache.ts). Everything the view shows of
 * the lot's ancestors is fixed when they are created (holder, date, quantity, base; entity types never
 * change); what can change is the lot's own document (holds, certificates, verdicts — its hold history
 * moves with it) and the open notices about it. So the lot's `_v` and the notices' ids and `_v`s, as read
 * here, say whether the view is still current.
 */
export interface BuiltConsumerView {
  view: ConsumerView;
  lotVersion: number;
  noticeStamp: string;
}

export async function builtConsumerView(models: ReadModels, traceCode: string): Promise<BuiltConsumerView | null> {
  const ordered = await lineage(models, traceCode);
  if (!ordered) return null;
  const entityIds = [...new Set(ordered.map((l) => (l.holder as { entityId: string }).entityId))];
  const types = await entityTypes(models, entityIds);
  const holderOf = (lot: ReadDoc): PublicHolder => {
    const h = lot.holder as { entityId: string; name: string; regionCode: string };
    const type = types.get(h.entityId) ?? null;
    return {
      name: isPrivatePerson(type ?? undefined) ? maskName(h.name) : h.name,
      entityType: type,
      regionCode: h.regionCode,
      regionName: placeName(h.regionCode),
    };
  };
  const lot = ordered[ordered.length - 1]!;
  const origin = ordered[0]!;
  const base = origin.base as { name: string; regionCode: string; lat: number; lon: number };
  const originHolder = holderOf(origin);
  const privateOrigin = isPrivatePerson(originHolder.entityType ?? undefined);
  const holds = ((lot.holds as Record<string, unknown>[]) ?? []).map(publicHold);
  const [{ notices, stamp }, holdHistory] = await Promise.all([openNotices(models, traceCode), holdHistoryOf(models, traceCode)]);
  const view: ConsumerView = {
    traceCode,
    product: lot.product as string,
    productionDate: lot.productionDate as string,
    quantity: { amount: (lot.quantity as { amount: number }).amount, unit: lot.unit as string },
    status: holds.length > 0 ? 'on-hold' : 'normal',
    origin: {
      entity: originHolder,
      base: {
        name: privateOrigin ? maskBaseName(base.name) : base.name,
        regionCode: base.regionCode,
        regionName: placeName(base.regionCode),
        lat: privateOrigin ? coarseCoordinate(base.lat) : base.lat,
        lon: privateOrigin ? coarseCoordinate(base.lon) : base.lon,
      },
      traceCode: origin._id,
    },
    chain: ordered.map((l) => {
      const holder = holderOf(l);
      return {
        traceCode: l._id,
        holder,
        date: l.createdAt as string,
        place: holder.regionName,
        quantity: { amount: (l.quantity as { amount: number }).amount, unit: l.unit as string },
      };
    }),
    certificates: ((lot.certificates as ConsumerView['certificates']) ?? []).map((c) => ({
      certificateNo: c.certificateNo,
      market: c.market,
      issuedAt: c.issuedAt,
    })),
    verdicts: (lot.verdicts as unknown[]) ?? [],
    warnings: holds,
    notices,
    holdHistory: holdHistory.map(publicHoldEvent),
  };
  return { view, lotVersion: lot._v, noticeStamp: stamp };
}
