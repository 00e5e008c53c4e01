import {
  ORIGIN_CONTACT_EVENT_TYPES,
  ORIGIN_RECORD_EVENT_TYPES,
  ORIGIN_SCOPE_RULES_EVENT_TYPES,
  ORIGIN_TARGET_EVENT_TYPES,
  type OriginContactEvent,
  type OriginRecordEvent,
  type OriginScopeRulesEvent,
  type OriginTargetEvent,
} from '../../domain/origin';
import type { Projection } from '../runner/projection';
import { originPointsReadModelIndexes } from './origin-points.projection';

/**
 * `origin_records`: one document per origin record (一张表 / 一张图), the fields as kept plus what the filters need
 * as plain values (product code, scale as a number, lat/lon as numbers for the bbox, the village code whose prefix
 * any region scope matches, review state, refresh due time, collector). The exact decimal strings stay in `fields`.
 * `origin_contacts`: the 附件2 list of each region. `origin_collectors`: per collector, returns left unfixed past
 * their deadline (overdueReturns) and fixes made after it (lateFixes), with the township and county of the record
 * last counted, for the performance evaluation seed 003 六(三) asks for. `origin_targets`: each region's 目标任务.
 * `origin_scope_rules`: each province's own 规模以上 thresholds.
 */
export const originRecordsProjection: Projection = {
  name: 'origin-records',
  version: 3,
  handles: [...ORIGIN_RECORD_EVENT_TYPES, ...ORIGIN_CONTACT_EVENT_TYPES, ...ORIGIN_TARGET_EVENT_TYPES, ...ORIGIN_SCOPE_RULES_EVENT_TYPES],
  collections: ['origin_records', 'origin_contacts', 'origin_collectors', 'origin_targets', 'origin_scope_rules'],
  async apply(recorded, ctx) {
    const event = { type: recorded.type, data: recorded.data } as OriginRecordEvent | OriginContactEvent | OriginTargetEvent | OriginScopeRulesEvent;
    if (event.type === 'OriginContactsUpdated') {
      ctx.put('origin_contacts', { _id: event.data.regionCode || 'national', ...event.data });
      return;
    }
    if (event.type === 'OriginScopeRulesSet') {
      ctx.put('origin_scope_rules', { _id: event.data.provinceCode, ...event.data });
      return;
    }
    if (event.type === 'OriginTargetsSet') {
      ctx.put('origin_targets', { _id: event.data.regionCode || 'national', ...event.data });
      return;
    }
    const id = event.data.recordId;
    const doc = await ctx.get('origin_records', id);
    const at = recorded.occurredAt;
    switch (event.type) {
      case 'OriginRecordCollected':
      case 'OriginRecordChanged': {
        const d = event.data;
        const f = d.fields;
        const by = event.type === 'OriginRecordCollected' ? event.data.collectedBy : event.data.changedBy;
        ctx.put('origin_records', {
          ...(doc ?? {}),
          _id: id,
          fields: f,
          fingerprint: d.fingerprint,
          product: f.product.code,
          productName: f.product.name,
          industry: f.industry,
          producerName: f.producerName,
          entityId: f.entityId,
          certification: f.certification,
          traceMethods: f.traceMethods,
          scaleAmount: Number(f.scale.amount),
          scaleUnit: f.scale.unit,
          lat: Number(f.point.lat),
          lon: Number(f.point.lon),
          countyCode: d.countyCode,
          townshipCode: d.townshipCode,
          villageCode: d.villageCode,
          inScope: d.scope.inScope,
          scope: d.scope,
          reviewState: d.reviewState,
          returnReason: null,
          returnDeadline: null,
          refreshDueAt: d.refreshDueAt,
          collectorUserId: by.userId,
          collectorOrgId: by.orgId,
          collectorName: f.collector.name,
          channel: d.channel,
          importId: d.importId,
          collectedAt: event.type === 'OriginRecordCollected' ? event.data.collectedAt : (doc?.collectedAt ?? at),
          updatedAt: at,
          revisions: ((doc?.revisions as number | undefined) ?? 0) + 1,
          retired: false,
        });
        if (event.type === 'OriginRecordChanged' && event.data.answeredReturn?.late) await bumpCollector(ctx, by.userId, 'lateFixes', d, f.collector.name);
        return;
      }
      case 'OriginRecordRefreshed':
        if (doc) ctx.put('origin_records', { ...doc, refreshDueAt: event.data.refreshDueAt, updatedAt: at });
        return;
      case 'OriginRecordApproved':
        if (doc) ctx.put('origin_records', { ...doc, reviewState: 'approved', approvedAt: event.data.approvedAt, returnReason: null, returnDeadline: null, updatedAt: at });
        return;
      case 'OriginRecordReturned':
        if (doc) ctx.put('origin_records', { ...doc, reviewState: 'returned', returnReason: event.data.reason, returnDeadline: event.data.deadline, updatedAt: at });
        return;
      case 'OriginReturnOverdue':
        if (doc) ctx.put('origin_records', { ...doc, returnOverdue: true, updatedAt: at });
        await bumpCollector(ctx, event.data.collectorUserId, 'overdueReturns', event.data, (doc?.collectorName as string | undefined) ?? null);
        return;
      case 'OriginRecordRetired':
        if (doc) ctx.put('origin_records', { ...doc, retired: true, retiredReason: event.data.reason, updatedAt: at });
        return;
    }
  },
};

async function bumpCollector(ctx: Parameters<Projection['apply']>[1], userId: string, counter: 'overdueReturns' | 'lateFixes', place: { countyCode: string; townshipCode: string }, name: string | null): Promise<void> {
  const doc = (await ctx.get('origin_collectors', userId)) ?? { _id: userId, _v: 0, overdueReturns: 0, lateFixes: 0 };
  ctx.put('origin_collectors', {
    ...doc,
    userId,
    countyCode: place.countyCode,
    townshipCode: place.townshipCode,
    collectorName: name ?? doc.collectorName ?? null,
    [counter]: ((doc[counter] as number | undefined) ?? 0) + 1,
  });
}

export const originReadModelIndexes: Record<string, string[][]> = {
  origin_records: [['villageCode'], ['product'], ['reviewState'], ['lat', 'lon'], ['collectorUserId'], ['importId'], ['refreshDueAt']],
  origin_collectors: [['townshipCode']],
  origin_targets: [['regionCode']],
  ...originPointsReadModelIndexes,
};
