import { RECALL_EVENT_TYPES, type RecallEvent, type RecallLotStanding } from '../../domain/recall';
import { convert, isMassUnit, type Unit } from '../../domain/shared/quantity';
import type { ReadDoc } from '../../application/ports/read-store';
import type { Projection, ProjectionContext } from '../runner/projection';

/** Totals per measure: mass in kg, each count unit on its own (a box never converts to pieces). */
type Totals = Record<string, { affected: number; accountedFor: number }>;

const r3 = (n: number) => Math.round(n * 1000) / 1000;

function measureOf(amount: number, unit: string): { key: string; amount: number } {
  if (isMassUnit(unit as Unit)) return { key: 'kg', amount: convert({ amount, unit: unit as Unit }, 'kg').amount };
  return { key: unit, amount };
}

export function totalsOf(standing: RecallLotStanding[]): Totals {
  const out: Totals = {};
  for (const l of standing) {
    const affected = measureOf(l.affected, l.unit);
    const accounted = measureOf(Math.min(l.accountedFor, l.affected), l.unit);
    const t = (out[affected.key] ??= { affected: 0, accountedFor: 0 });
    t.affected = r3(t.affected + affected.amount);
    t.accountedFor = r3(t.accountedFor + accounted.amount);
  }
  return out;
}

function addTotals(into: Totals, delta: Totals, sign: 1 | -1): Totals {
  const out: Totals = JSON.parse(JSON.stringify(into));
  for (const [key, t] of Object.entries(delta)) {
    const o = (out[key] ??= { affected: 0, accountedFor: 0 });
    o.affected = r3(o.affected + sign * t.affected);
    o.accountedFor = r3(o.accountedFor + sign * t.accountedFor);
  }
  return out;
}

/** accounted / affected in %, the mean over measures when lots come in more than one (kg and heads). */
export function percentOf(totals: Totals): number {
  const measures = Object.values(totals).filter((t) => t.affected > 0);
  if (measures.length === 0) return 100;
  const mean = measures.reduce((s, t) => s + t.accountedFor / t.affected, 0) / measures.length;
  return Math.round(mean * 1000) / 10;
}

interface HolderCounts {
  holders: number;
  acknowledged: number;
  escalated: number;
}

/**
 * `recall_notices` (each holder's notice: its inbox entry, lots with their standing, acknowledgement,
 * escalation) and `recall_progress` (one document per incident: totals, by region, holder counts), kept
 * live by adding each notice's change — the progress never re-reads the notices.
 */
export const recallProjection: Projection = {
  name: 'recall',
  version: 1,
  handles: RECALL_EVENT_TYPES,
  collections: ['recall_notices', 'recall_progress'],
  async apply(raw, ctx) {
    const event = { type: raw.type, data: raw.data } as RecallEvent;
    if (event.type === 'RecallNoticeIssued') {
      const d = event.data;
      const totals = totalsOf(d.standing);
      const notice = {
        _id: `${d.incidentId}:${d.holder.entityId}`,
        incidentId: d.incidentId,
        holder: d.holder,
        holderEntityId: d.holder.entityId,
        regionCode: d.holder.regionCode,
        lots: d.lots.map((l) => ({ ...l, ...d.standing.find((s) => s.traceCode === l.traceCode) })),
        status: 'notified',
        deadline: d.deadline,
        issuedAt: d.issuedAt,
        acknowledgedAt: null,
        escalatedAt: null,
        reports: 0,
        lastReportAt: null,
        totals,
        percent: percentOf(totals),
      };
      ctx.put('recall_notices', notice);
      await patchProgress(ctx, d.incidentId, d.holder.regionCode, {}, totals, { holders: 1, acknowledged: 0, escalated: 0 }, raw.recordedAt);
      return;
    }
    const id = `${event.data.incidentId}:${event.data.holderEntityId}`;
    const notice = await ctx.get('recall_notices', id);
    if (!notice) throw new Error(`recall_notices: ${event.type} for unknown notice ${id}`);
    const before = notice.totals as Totals;
    switch (event.type) {
      case 'RecallAcknowledged':
        ctx.put('recall_notices', { ...notice, status: 'acknowledged', acknowledgedAt: event.data.acknowledgedAt, note: event.data.note });
        await patchProgress(ctx, event.data.incidentId, event.data.regionCode, before, before, { holders: 0, acknowledged: 1, escalated: 0 }, raw.recordedAt);
        return;
      case 'RecallEscalated':
        ctx.put('recall_notices', { ...notice, escalatedAt: event.data.escalatedAt });
        await patchProgress(ctx, event.data.incidentId, event.data.regionCode, before, before, { holders: 0, acknowledged: 0, escalated: 1 }, raw.recordedAt);
        return;
      case 'RecallLotsUpdated':
      case 'RecallQuantitiesReported': {
        const d = event.data;
        const totals = totalsOf(d.standing);
        const known = new Map((notice.lots as { traceCode: string }[]).map((l) => [l.traceCode, l]));
        if (event.type === 'RecallLotsUpdated') for (const l of event.data.lots) known.set(l.traceCode, { ...known.get(l.traceCode), ...l });
        const lots = [...known.values()].map((l) => ({ ...l, ...d.standing.find((s) => s.traceCode === l.traceCode) }));
        const reported = event.type === 'RecallQuantitiesReported' ? { reports: (notice.reports as number) + 1, lastReportAt: event.data.reportedAt } : {};
        ctx.put('recall_notices', { ...notice, lots, totals, percent: percentOf(totals), ...reported });
        await patchProgress(ctx, d.incidentId, d.regionCode, before, totals, { holders: 0, acknowledged: 0, escalated: 0 }, raw.recordedAt);
        return;
      }
    }
  },
};

async function patchProgress(ctx: ProjectionContext, incidentId: string, region: string, before: Totals, after: Totals, counts: HolderCounts, at: string): Promise<void> {
  const doc: ReadDoc = (await ctx.get('recall_progress', incidentId)) ?? { _id: incidentId, _v: 0, incidentId, totals: {}, byRegion: {}, holders: 0, acknowledged: 0, escalated: 0 };
  const byRegion = { ...(doc.byRegion as Record<string, { totals: Totals } & HolderCounts>) };
  const r = byRegion[region] ?? { totals: {}, holders: 0, acknowledged: 0, escalated: 0 };
  const regionTotals = addTotals(addTotals(r.totals, before, -1), after, 1);
  byRegion[region] = {
    totals: regionTotals,
    percent: percentOf(regionTotals),
    holders: r.holders + counts.holders,
    acknowledged: r.acknowledged + counts.acknowledged,
    escalated: r.escalated + counts.escalated,
  } as { totals: Totals } & HolderCounts;
  const totals = addTotals(addTotals(doc.totals as Totals, before, -1), after, 1);
  const { _v: _ignored, ...rest } = doc;
  ctx.put('recall_progress', {
    ...rest,
    totals,
    percent: percentOf(totals),
    byRegion,
    holders: (doc.holders as number) + counts.holders,
    acknowledged: (doc.acknowledged as number) + counts.acknowledged,
    escalated: (doc.escalated as number) + counts.escalated,
    updatedAt: at,
  });
}

export const recallReadModelIndexes: Record<string, string[][]> = {
  recall_notices: [['holderEntityId'], ['incidentId'], ['regionCode']],
};
