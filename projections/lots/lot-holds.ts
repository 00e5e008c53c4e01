import type { LotHoldLifted, LotPutOnHold } from '../../domain/lots/events';
import type { HoldOwner } from '../../domain/lots/holds';
import { WARNING_LEVEL_LABELS_ZH } from '../../domain/risk/levels';
import type { WarningClosed, WarningRaised } from '../../domain/risk/warning';
import type { ReadDoc } from '../../application/ports/read-store';
import type { ProjectionContext } from '../runner/projection';

/**
 * The holds part of the `lots` read model: `holds` are the lot's open holds (暂停销售) as the lot stream
 * records them (LotPutOnHold / LotHoldLifted); every putting-on and lifting, in order, is kept for the
 * consumer view in `lot_hold_history` (one document per lot that was ever held: `{ _id: traceCode, entries }`),
 * not in the lot document, which holds current state only (decision 0021). The risk warning that announces a hold (same sample, same lot) adds its level and
 * indicator to the hold; it neither opens nor closes it.
 *
 * Ledgers from before holds lived on the lot stream held lots only through warnings (`WarningRaised` with
 * `hold`). Such a warning, with no lot hold of its sample beside it, still shows as a `legacy` hold until
 * the warning closes, so an old ledger replays to the same consumer page (docs/decisions/0012-lot-holds.md).
 */
export interface HoldDoc {
  holdId: string;
  owner: HoldOwner;
  caseId: string | null;
  incidentId: string | null;
  label: string;
  reason: string;
  since: string;
  /** The lot the hold came from (an upstream lot's hold reaching this one). */
  sourceTraceCode: string | null;
  warningId: string | null;
  level: string | null;
  levelLabel: string | null;
  indicator: string | null;
  legacy: boolean;
}

export interface HoldHistoryEntry {
  event: 'held' | 'lifted';
  holdId: string;
  ownerKind: HoldOwner['kind'];
  ownerId: string;
  /** For a lifting: what decided it (retest-passed, case-closed, incident-closed). */
  decisionKind: string | null;
  reason: string;
  at: string;
  sourceTraceCode: string | null;
}

const LABELS: Record<HoldOwner['kind'], string> = {
  'failed-result': '不合格 · 暂停销售',
  case: '执法处置 · 暂停销售',
  incident: '应急处置 · 暂停销售',
};

export const LOT_HOLD_EVENT_TYPES = ['LotPutOnHold', 'LotHoldLifted'] as const;

/**
 * Flat keys of the open holds (`hold:{holdId}`, `sample:{id}`, `case:{id}`, `incident:{id}`), so a lifting
 * decision finds its lots with one equality on an array field, which every read store answers alike.
 */
export function holdKeysOf(holds: HoldDoc[]): string[] {
  const keys = new Set<string>();
  for (const h of holds) {
    keys.add(`hold:${h.holdId}`);
    if (h.owner.kind === 'failed-result') keys.add(`sample:${h.owner.id}`);
    if (h.caseId) keys.add(`case:${h.caseId}`);
    if (h.incidentId) keys.add(`incident:${h.incidentId}`);
  }
  return [...keys];
}

/** The lot document with these open holds (and their keys). */
function withHolds(lot: ReadDoc, holds: HoldDoc[]): Record<string, unknown> {
  return { ...lot, holds, holdKeys: holdKeysOf(holds) };
}

function holdsOf(lot: ReadDoc): HoldDoc[] {
  return (lot.holds as HoldDoc[] | undefined) ?? [];
}
export const HOLD_HISTORY = 'lot_hold_history';

async function historyOf(ctx: ProjectionContext, traceCode: string): Promise<HoldHistoryEntry[]> {
  const doc = await ctx.get(HOLD_HISTORY, traceCode);
  return (doc?.entries as HoldHistoryEntry[] | undefined) ?? [];
}
async function appendHistory(ctx: ProjectionContext, traceCode: string, entry: HoldHistoryEntry): Promise<void> {
  ctx.put(HOLD_HISTORY, { _id: traceCode, entries: [...(await historyOf(ctx, traceCode)), entry] });
}
function sampleOf(owner: HoldOwner): string | null {
  return owner.kind === 'failed-result' ? owner.id : null;
}

export async function applyLotHold(event: LotPutOnHold | LotHoldLifted, ctx: ProjectionContext): Promise<void> {
  const lot = await ctx.get('lots', event.data.traceCode);
  if (!lot) throw new Error(`lots: ${event.type} for unknown lot ${event.data.traceCode}`);
  if (event.type === 'LotPutOnHold') {
    const d = event.data;
    const sampleId = sampleOf(d.owner);
    // A lot hold of the same sample replaces a legacy (warning-only) one, keeping what the warning said.
    const legacy = holdsOf(lot).find((h) => h.legacy && sampleId !== null && sampleOf(h.owner) === sampleId);
    const hold: HoldDoc = {
      holdId: d.holdId,
      owner: d.owner,
      caseId: d.owner.kind === 'case' ? d.owner.id : d.owner.kind === 'failed-result' ? d.owner.caseId : null,
      incidentId: d.owner.kind === 'incident' ? d.owner.id : null,
      label: LABELS[d.owner.kind],
      reason: d.reason,
      since: d.heldAt,
      sourceTraceCode: legacy?.sourceTraceCode ?? d.inheritedFrom,
      warningId: legacy?.warningId ?? null,
      level: legacy?.level ?? null,
      levelLabel: legacy?.levelLabel ?? null,
      indicator: legacy?.indicator ?? null,
      legacy: false,
    };
    const entry: HoldHistoryEntry = { event: 'held', holdId: d.holdId, ownerKind: d.owner.kind, ownerId: d.owner.id, decisionKind: null, reason: d.reason, at: d.heldAt, sourceTraceCode: d.inheritedFrom };
    ctx.put('lots', { ...withHolds(lot, [...holdsOf(lot).filter((h) => h !== legacy), hold]), _id: lot._id });
    await appendHistory(ctx, lot._id, entry);
    return;
  }
  const d = event.data;
  const entry: HoldHistoryEntry = {
    event: 'lifted',
    holdId: d.holdId,
    ownerKind: d.owner.kind,
    ownerId: d.owner.id,
    decisionKind: d.decision.kind,
    reason: d.reason,
    at: d.liftedAt,
    sourceTraceCode: holdsOf(lot).find((h) => h.holdId === d.holdId)?.sourceTraceCode ?? null,
  };
  ctx.put('lots', { ...withHolds(lot, holdsOf(lot).filter((h) => h.holdId !== d.holdId)), _id: lot._id });
  await appendHistory(ctx, lot._id, entry);
}

/** A hold warning: enriches the lot hold of its sample, or (old ledgers) stands in for it. */
export async function applyHoldWarningRaised(w: WarningRaised['data'], ctx: ProjectionContext): Promise<void> {
  if (!w.hold || w.subject.kind !== 'lot' || !w.subject.traceCode) return;
  const lot = await ctx.get('lots', w.subject.traceCode);
  if (!lot) return;
  const sampleId = w.cause.sampleId ?? w.subject.sampleId;
  const announced = { warningId: w.warningId, level: w.rule.level, levelLabel: WARNING_LEVEL_LABELS_ZH[w.rule.level], indicator: w.rule.indicator };
  const holds = holdsOf(lot);
  const own = holds.find((h) => !h.legacy && sampleId !== null && sampleOf(h.owner) === sampleId);
  if (own) {
    ctx.put('lots', { ...withHolds(lot, holds.map((h) => (h === own ? { ...h, ...announced, sourceTraceCode: h.sourceTraceCode ?? w.cause.sourceTraceCode } : h))), _id: lot._id });
    return;
  }
  if (holds.some((h) => h.warningId === w.warningId)) return;
  // The lot stream held this lot for that sample once (and it was lifted since): not an old-ledger hold.
  if ((await historyOf(ctx, lot._id)).some((e) => e.ownerKind === 'failed-result' && e.ownerId === sampleId)) return;
  const legacy: HoldDoc = {
    holdId: w.warningId,
    owner: { kind: 'failed-result', id: sampleId ?? w.cause.ref, caseId: null },
    caseId: null,
    incidentId: null,
    label: LABELS['failed-result'],
    reason: w.reason,
    since: w.raisedAt,
    sourceTraceCode: w.cause.sourceTraceCode,
    ...announced,
    legacy: true,
  };
  ctx.put('lots', { ...withHolds(lot, [...holds, legacy]), _id: lot._id });
}

/** Closing a warning ends only a legacy hold: a lot hold goes only by its owner's decision. */
export async function applyHoldWarningClosed(w: WarningClosed['data'], ctx: ProjectionContext): Promise<void> {
  if (!w.hold || !w.subject.traceCode) return;
  const lot = await ctx.get('lots', w.subject.traceCode);
  if (!lot) return;
  const holds = holdsOf(lot);
  if (!holds.some((h) => h.legacy && h.warningId === w.warningId)) return;
  ctx.put('lots', { ...withHolds(lot, holds.filter((h) => !(h.legacy && h.warningId === w.warningId))), _id: lot._id });
}
