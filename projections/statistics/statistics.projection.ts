import type { RecordedEvent } from '../../application/ports/event-store';
import { CASE_EVENT_TYPES, type CaseEvent } from '../../domain/enforcement/case';
import { INSPECTION_EVENT_TYPES, type InspectionEvent } from '../../domain/inspection/inspection';
import { LOT_EVENT_TYPES, type LotEvent } from '../../domain/lots/events';
import { regionOfEid } from '../../domain/registration/eid';
import { REGISTRATION_EVENT_TYPES, type RegistrationEvent } from '../../domain/registration/events';
import { WARNING_EVENT_TYPES, type WarningEvent } from '../../domain/risk/warning';
import { SAMPLE_EVENT_TYPES, type SampleEvent } from '../../domain/sampling/events';
import { PUBLIC_LOOKUP_EVENT_TYPES, type PublicLookupsCounted } from '../../domain/statistics/lookups';
import { TRANSFER_EVENT_TYPES, type TransferEvent } from '../../domain/transfers/events';
import type { Projection, ProjectionContext } from '../runner/projection';
import { MemoDocs } from './memo-docs';
import { cstDay } from './buckets';
import { METRIC as M, quantityCounters, split } from './metrics';
import { STATS, STATS_ENTITIES, STATS_FLOWS, Tally } from './tally';

/**
 * `stats` and `stats_flows`: pre-aggregated statistics (issue 14) by region (country → province → city →
 * county → township) × day / month / all time × product, and the quantities moved between provinces and
 * between counties. `stats_memo` keeps the little each later event needs and does not carry: an entity's
 * region, type and review deadline; a lot's holder region, product and origin; a warning's level and state.
 * Every event is counted on its business day (`occurredAt`, China Standard Time).
 */
export const STATS_MEMO = 'stats_memo';

const HANDLED = [
  ...REGISTRATION_EVENT_TYPES,
  ...LOT_EVENT_TYPES,
  ...TRANSFER_EVENT_TYPES,
  ...SAMPLE_EVENT_TYPES,
  ...WARNING_EVENT_TYPES,
  ...CASE_EVENT_TYPES,
  ...INSPECTION_EVENT_TYPES,
  ...PUBLIC_LOOKUP_EVENT_TYPES,
];

interface EntityMemo {
  region: string;
  entityType: string | null;
  deadlineDay: string | null;
  trading: boolean;
}
interface LotMemo {
  region: string;
  product: string;
  originRegion: string;
  certified: boolean;
}
interface WarningMemo {
  region: string;
  product: string | null;
  level: string;
  state: 'raised' | 'acknowledged' | 'closed';
}
interface CaseMemo {
  region: string;
  product: string | null;
}

/**
 * Typed access to the memo documents. Reads see what earlier events of the batch wrote; a write on behalf of an
 * event the memo already folds (a replay) is dropped, as the runner's context drops it.
 */
class Memo {
  /** Position of the event being counted. */
  position = 0;
  constructor(private readonly docs: MemoDocs) {}
  async get<T>(kind: string, id: string): Promise<T | null> {
    const doc = await this.docs.get(STATS_MEMO, `${kind}:${id}`);
    return doc ? (doc.memo as T) : null;
  }
  put<T extends object>(kind: string, id: string, memo: T): Promise<void> {
    return this.docs.put(STATS_MEMO, { _id: `${kind}:${id}`, memo }, this.position);
  }
}

/** Events counted between two turns of the event loop in a batch fold. */
const YIELD_EVERY = 250;

type Counting = (raw: RecordedEvent, day: string, tally: Tally, memo: Memo) => Promise<void> | void;

/** Event type → its counting rules (one lookup instead of a chain of `includes` per event). */
const COUNTING = new Map<string, Counting>();
for (const [types, counting] of [
  [REGISTRATION_EVENT_TYPES, registration],
  [LOT_EVENT_TYPES, lot],
  [TRANSFER_EVENT_TYPES, transfer],
  [SAMPLE_EVENT_TYPES, sample],
  [WARNING_EVENT_TYPES, warning],
  [CASE_EVENT_TYPES, enforcementCase],
  [INSPECTION_EVENT_TYPES, inspection],
  [PUBLIC_LOOKUP_EVENT_TYPES, lookups],
] as [readonly string[], Counting][])
  for (const t of types) COUNTING.set(t, counting);

async function countEvent(raw: RecordedEvent, tally: Tally, memo: Memo): Promise<void> {
  const counting = COUNTING.get(raw.type);
  if (!counting) return;
  memo.position = raw.position;
  await counting(raw, cstDay(raw.occurredAt), tally, memo);
}

/**
 * The one fold of the counting rules, for a batch or a single event (decision 0015, batch-level fold; decision
 * 0025, increments): every event's counts go into ONE tally (memo reads see the earlier events' memo writes),
 * then each counter document gets one increment — never read here. The store applies it once per log position:
 * a document whose `_v` already folds the batch skips it, and one that folds part of it (a batch replayed past a
 * crashed one's end) makes the runner fold the batch again cut at that position.
 */
async function fold(events: readonly RecordedEvent[], ctx: ProjectionContext): Promise<void> {
  if (events.length === 0) return;
  if (!ctx.inc) throw new Error('statistics: the context cannot increment (the runner\'s BatchContext can)');
  const memos = new MemoDocs(ctx);
  const memo = new Memo(memos);
  const tally = new Tally();
  for (let i = 0; i < events.length; i++) {
    await countEvent(events[i]!, tally, memo);
    // A large batch (the runner's eventual lane) leaves the event loop free now and then: the other projections'
    // lane, which commands wait for, folds meanwhile on the same thread.
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((resolve) => setImmediate(resolve));
  }
  for (const d of tally.documents()) ctx.inc(d.collection, d.id, d.c, { init: d.init, set: d.set });
  memos.write();
}

export const statisticsProjection: Projection = {
  name: 'statistics',
  // 3: batch-level fold (applyBatch); the documents are the same as version 2's, rebuilt to prove the fold on a deploy.
  // 4: the all-time flow documents and the `parent` index are gone (v3 read models built before 258d00a kept them)
  // 5: counters are increments (decision 0025): a counter that nets to 0 stays as 0 instead of being removed
  version: 5,
  // Dashboards are eventually consistent by nature: a command's answer does not wait for this fold, which runs
  // in the runner's eventual lane in large batches (decision 0025); the statistics routes wait for it instead.
  consistency: 'eventual',
  handles: HANDLED,
  collections: [STATS, STATS_FLOWS, STATS_ENTITIES, STATS_MEMO],
  apply(event, ctx) {
    return fold([event], ctx);
  },
  applyBatch(events, ctx) {
    return fold(events, ctx);
  },
};

async function registration(raw: RecordedEvent, day: string, tally: Tally, memo: Memo): Promise<void> {
  const event = { type: raw.type, data: raw.data } as RegistrationEvent;
  switch (event.type) {
    case 'RegistrationApplied': {
      const d = event.data;
      const deadlineDay = cstDay(d.reviewDeadline);
      tally.count(d.regionCode, day, null, { [M.entitiesApplied]: 1, [split(M.entitiesApplied, d.entityType)]: 1, [M.entitiesPending]: 1 });
      tally.count(d.regionCode, deadlineDay, null, { [M.reviewsDueOpen]: 1 });
      tally.entity(d.entityId, d.regionCode, d.name, day, { [M.entitiesApplied]: 1 });
      await memo.put<EntityMemo>('entity', d.entityId, { region: d.regionCode, entityType: d.entityType, deadlineDay, trading: false });
      return;
    }
    case 'RegistrationApproved':
    case 'RegistrationRejected': {
      const d = event.data;
      const entity = await memo.get<EntityMemo>('entity', d.entityId);
      if (!entity) throw new Error(`statistics: ${event.type} for unknown entity ${d.entityId}`);
      const approved = event.type === 'RegistrationApproved';
      const decidedAt = approved ? event.data.approvedAt : (event.data as { rejectedAt: string }).rejectedAt;
      const decided = approved ? M.entitiesApproved : M.entitiesRejected;
      const late = entity.deadlineDay !== null && cstDay(decidedAt) > entity.deadlineDay;
      tally.count(entity.region, day, null, {
        [decided]: 1,
        ...(entity.entityType ? { [split(decided, entity.entityType)]: 1 } : {}),
        [M.entitiesPending]: -1,
        [late ? M.reviewsLate : M.reviewsOnTime]: 1,
      });
      if (entity.deadlineDay) tally.count(entity.region, entity.deadlineDay, null, { [M.reviewsDueOpen]: -1 });
      return;
    }
    case 'RegistrationUpdated':
    case 'BaseAdded':
      return;
  }
}

/** The first scan-to-trade hand-over of an entity makes it count as trading electronically (企业/环节覆盖率). */
async function firstTrade(entityId: string, eid: string, day: string, tally: Tally, memo: Memo): Promise<void> {
  const entity = (await memo.get<EntityMemo>('entity', entityId)) ?? { region: regionOfEid(eid), entityType: null, deadlineDay: null, trading: false };
  if (entity.trading) return;
  tally.count(entity.region, day, null, { [M.entitiesTrading]: 1 });
  await memo.put<EntityMemo>('entity', entityId, { ...entity, trading: true });
}

async function lot(raw: RecordedEvent, day: string, tally: Tally, memo: Memo): Promise<void> {
  const event = { type: raw.type, data: raw.data } as LotEvent;
  switch (event.type) {
    case 'LotCreated': {
      const d = event.data;
      const region = regionOfEid(d.eid);
      const produced = d.origin.kind === 'produced';
      tally.count(region, day, d.product, {
        [M.lotsCreated]: 1,
        [produced ? M.lotsProduced : M.lotsReceived]: 1,
        ...(produced ? quantityCounters(M.producedQty, d.quantity) : {}),
      });
      await memo.put<LotMemo>('lot', d.traceCode, { region, product: d.product, originRegion: d.base.regionCode, certified: false });
      return;
    }
    case 'MarketEntryCertified': {
      const d = event.data;
      const lotMemo = await memo.get<LotMemo>('lot', d.traceCode);
      if (!lotMemo) throw new Error(`statistics: MarketEntryCertified for unknown lot ${d.traceCode}`);
      tally.count(lotMemo.region, day, lotMemo.product, {
        [M.certificates]: 1,
        ...quantityCounters(M.certifiedQty, d.quantity),
        ...(lotMemo.certified ? {} : { [M.lotsCertified]: 1 }),
      });
      // 产地 → 市场: from where the lot was produced to the market it entered.
      tally.flow('market', lotMemo.originRegion, d.market.regionCode, day, lotMemo.product, { moves: 1, ...quantityCounters('qty', d.quantity) });
      if (!lotMemo.certified) await memo.put<LotMemo>('lot', d.traceCode, { ...lotMemo, certified: true });
      return;
    }
    default:
      // Reservations and holds change no statistic here: hand-overs are counted from the transfer stream.
      return;
  }
}

async function transfer(raw: RecordedEvent, day: string, tally: Tally, memo: Memo): Promise<void> {
  const event = { type: raw.type, data: raw.data } as TransferEvent;
  switch (event.type) {
    case 'TransferInitiated': {
      const d = event.data;
      tally.count(regionOfEid(d.fromEid), day, d.product, { [M.transfersInitiated]: 1 });
      await firstTrade(d.fromEntityId, d.fromEid, day, tally, memo);
      return;
    }
    case 'TransferConfirmed': {
      const d = event.data;
      const source = await memo.get<LotMemo>('lot', d.fromTraceCode);
      if (!source) throw new Error(`statistics: TransferConfirmed from unknown lot ${d.fromTraceCode}`);
      tally.count(source.region, day, d.product, { [M.transfersConfirmed]: 1, ...quantityCounters(M.transferredQty, d.quantity) });
      tally.entity(d.fromEntityId, source.region, null, day, { [M.transfersConfirmed]: 1 });
      tally.flow('transfer', source.region, regionOfEid(d.to.eid), day, d.product, { moves: 1, ...quantityCounters('qty', d.quantity) });
      await firstTrade(d.to.entityId, d.to.eid, day, tally, memo);
      return;
    }
    case 'TransferRejected': {
      const d = event.data;
      const source = await memo.get<LotMemo>('lot', d.fromTraceCode);
      if (!source) throw new Error(`statistics: TransferRejected from unknown lot ${d.fromTraceCode}`);
      tally.count(source.region, day, source.product, { [M.transfersRejected]: 1 });
      tally.entity(d.fromEntityId, source.region, null, day, { [M.transfersRejected]: 1 });
      return;
    }
    case 'OffLedgerShipmentRecorded': {
      const d = event.data;
      const source = await memo.get<LotMemo>('lot', d.fromTraceCode);
      if (!source) throw new Error(`statistics: OffLedgerShipmentRecorded from unknown lot ${d.fromTraceCode}`);
      tally.count(source.region, day, source.product, { [M.offLedgerShipments]: 1 });
      return;
    }
  }
}

function sample(raw: RecordedEvent, day: string, tally: Tally): void {
  const event = { type: raw.type, data: raw.data } as SampleEvent;
  switch (event.type) {
    case 'SampleTaken': {
      const d = event.data;
      tally.count(d.subject.regionCode, day, d.product, { [M.samples]: 1, [split(M.samples, d.taskKind)]: 1 });
      return;
    }
    case 'ResultRecorded': {
      const d = event.data;
      const counters: Record<string, number> = { [M.results]: 1, [split(M.results, d.verdict)]: 1 };
      if (d.round === 'retest') counters[M.retests] = 1;
      for (const o of d.outcomes) {
        counters[split(M.analyteTested, o.code)] = (counters[split(M.analyteTested, o.code)] ?? 0) + 1;
        if (o.verdict === 'pass') counters[split(M.analytePass, o.code)] = (counters[split(M.analytePass, o.code)] ?? 0) + 1;
        if (o.verdict === 'fail') counters[split(M.analyteFail, o.code)] = (counters[split(M.analyteFail, o.code)] ?? 0) + 1;
      }
      tally.count(d.subject.regionCode, day, d.product, counters);
      tally.entity(d.subject.entityId, d.subject.regionCode, d.subject.entityName, day, { [M.results]: 1, [split(M.results, d.verdict)]: 1 });
      return;
    }
    case 'RetestRequested':
    case 'SampleReferred':
      return;
  }
}

async function warning(raw: RecordedEvent, day: string, tally: Tally, memo: Memo): Promise<void> {
  const event = { type: raw.type, data: raw.data } as WarningEvent;
  if (event.type === 'WarningRaised') {
    const d = event.data;
    const level = d.rule.level;
    tally.count(d.subject.regionCode, day, d.subject.product, {
      [M.warningsRaised]: 1,
      [split(M.warningsRaised, level)]: 1,
      [M.warningsOpen]: 1,
      [split(M.warningsOpen, level)]: 1,
      [split(M.warningState, 'raised')]: 1,
    });
    await memo.put<WarningMemo>('warning', d.warningId, { region: d.subject.regionCode, product: d.subject.product, level, state: 'raised' });
    return;
  }
  const known = await memo.get<WarningMemo>('warning', event.data.warningId);
  if (!known) throw new Error(`statistics: ${event.type} for unknown warning ${event.data.warningId}`);
  const next = event.type === 'WarningAcknowledged' ? 'acknowledged' : 'closed';
  if (known.state === 'closed' || known.state === next) return;
  tally.count(known.region, day, known.product, {
    [event.type === 'WarningAcknowledged' ? M.warningsAcknowledged : M.warningsClosed]: 1,
    [split(M.warningState, known.state)]: -1,
    [split(M.warningState, next)]: 1,
    ...(next === 'closed' ? { [M.warningsOpen]: -1, [split(M.warningsOpen, known.level)]: -1 } : {}),
  });
  await memo.put<WarningMemo>('warning', event.data.warningId, { ...known, state: next });
}

async function enforcementCase(raw: RecordedEvent, day: string, tally: Tally, memo: Memo): Promise<void> {
  const event = { type: raw.type, data: raw.data } as CaseEvent;
  switch (event.type) {
    case 'CaseOpened': {
      const d = event.data;
      tally.count(d.subject.regionCode, day, d.product, { [M.casesOpened]: 1, [split(M.casesOpened, d.referral.kind)]: 1, [M.casesOpen]: 1 });
      await memo.put<CaseMemo>('case', d.caseId, { region: d.subject.regionCode, product: d.product });
      return;
    }
    case 'CaseClosed': {
      const d = event.data;
      const known = await memo.get<CaseMemo>('case', d.caseId);
      tally.count(known?.region ?? d.regionCode, day, known?.product ?? null, { [M.casesClosed]: 1, [split(M.casesClosed, d.outcome)]: 1, [M.casesOpen]: -1 });
      return;
    }
    case 'CaseActionRecorded':
      return;
  }
}

function inspection(raw: RecordedEvent, day: string, tally: Tally): void {
  const event = { type: raw.type, data: raw.data } as InspectionEvent;
  switch (event.type) {
    case 'InspectionTaskPublished':
      tally.count(event.data.regionCode, day, null, { [M.inspectionTasks]: 1 });
      return;
    case 'InspectionRecorded': {
      const d = event.data;
      const findings = d.findings.length;
      tally.count(d.subject.regionCode, day, null, { [M.inspections]: 1, ...(findings > 0 ? { [M.inspectionsWithFindings]: 1, [M.inspectionFindings]: findings } : {}) });
      return;
    }
    case 'InspectionReferred':
    case 'InspectionCompleted':
      return;
  }
}

/** 查询行为分析: an interval's lookups, each counted on the day it happened, at the lot's region and product. */
function lookups(raw: RecordedEvent, _day: string, tally: Tally): void {
  const { counts } = (raw.data as PublicLookupsCounted['data']);
  for (const c of counts) tally.count(c.regionCode, c.day, c.product, { [M.lookups]: c.lookups });
}
