import type { DomainEvent } from '../shared/event';
import type { CollectionChannel, OriginActorRef, OriginRecordFields, ReviewState, ScopeVerdict } from './types';

/*
 * Events of one origin record (产地溯源信息, one base or plot), stream `origin-{recordId}`. Each event carries what a
 * read model needs without re-deciding: the full fields after it, the scope verdict (规模以上 / 规模以下), the
 * review state after it, where it is (county / township / village) and when it must next be refreshed
 * (`refreshDueAt`: the end of the crop cycle for planting, a month on for livestock and aquatic).
 * DATA-QUALITY reads these; keep them stable (add optional fields, never rename).
 */

/** Where the record is, repeated on every event so a projection can route it without state. */
export type OriginPlace = {
  countyCode: string;
  townshipCode: string;
  villageCode: string;
};

/** 采集: a record is collected (by form, map point or import row). Review starts as 'pending'. */
export type OriginRecordCollected = DomainEvent<
  'OriginRecordCollected',
  OriginPlace & {
    recordId: string;
    fields: OriginRecordFields;
    scope: ScopeVerdict;
    channel: CollectionChannel;
    /** The import job and 1-based row the record came from (channel 'import'). */
    importId: string | null;
    row: number | null;
    /** SHA-256 of the canonical fields: a re-import of the same content appends nothing. */
    fingerprint: string;
    collectedBy: OriginActorRef;
    collectedAt: string;
    refreshDueAt: string;
    reviewState: ReviewState;
  }
>;

/** 信息变更: some fields changed. `fields` is the whole record after, `changed` names what moved, with the value before. */
export type OriginRecordChanged = DomainEvent<
  'OriginRecordChanged',
  OriginPlace & {
    recordId: string;
    fields: OriginRecordFields;
    changed: { field: string; before: unknown; after: unknown }[];
    scope: ScopeVerdict;
    channel: CollectionChannel;
    importId: string | null;
    row: number | null;
    fingerprint: string;
    changedBy: OriginActorRef;
    changedAt: string;
    refreshDueAt: string;
    /** A change goes back to the county: 'pending' (and a returned record so answered counts as fixed). */
    reviewState: ReviewState;
    /** Set when the change answered a return: was it in time? (overdue returns count against the collector). */
    answeredReturn: { returnedAt: string; deadline: string; late: boolean } | null;
  }
>;

/** 按期更新: the collector confirms the record is still current for a new cycle / month, unchanged. */
export type OriginRecordRefreshed = DomainEvent<
  'OriginRecordRefreshed',
  OriginPlace & { recordId: string; refreshedBy: OriginActorRef; refreshedAt: string; refreshDueAt: string; reviewState: ReviewState }
>;

/** 审核通过 by the county. `fingerprint` says which content was approved. */
export type OriginRecordApproved = DomainEvent<
  'OriginRecordApproved',
  OriginPlace & { recordId: string; fingerprint: string; approvedBy: OriginActorRef; approvedAt: string; reviewState: 'approved'; collectorUserId: string }
>;

/** 退回修改 by the county, with the reason and the deadline for the fix (限期修改). */
export type OriginRecordReturned = DomainEvent<
  'OriginRecordReturned',
  OriginPlace & {
    recordId: string;
    reason: string;
    deadline: string;
    returnedBy: OriginActorRef;
    returnedAt: string;
    reviewState: 'returned';
    /** Who must fix it: the collector who last collected or changed the record. */
    collectorUserId: string;
  }
>;

/** A returned record's deadline passed without a fix (counted against the collector; appended once). */
export type OriginReturnOverdue = DomainEvent<
  'OriginReturnOverdue',
  OriginPlace & { recordId: string; collectorUserId: string; returnedAt: string; deadline: string; flaggedAt: string }
>;

/** 注销: the base no longer produces the product, or the record was a duplicate. Kept, but out of the map. */
export type OriginRecordRetired = DomainEvent<
  'OriginRecordRetired',
  OriginPlace & { recordId: string; reason: string; retiredBy: OriginActorRef; retiredAt: string }
>;

export type OriginRecordEvent =
  | OriginRecordCollected
  | OriginRecordChanged
  | OriginRecordRefreshed
  | OriginRecordApproved
  | OriginRecordReturned
  | OriginReturnOverdue
  | OriginRecordRetired;

export const ORIGIN_RECORD_EVENT_TYPES: OriginRecordEvent['type'][] = [
  'OriginRecordCollected',
  'OriginRecordChanged',
  'OriginRecordRefreshed',
  'OriginRecordApproved',
  'OriginRecordReturned',
  'OriginReturnOverdue',
  'OriginRecordRetired',
];

/** 工作人员联系方式 (附件2): one row of a region's contact list. */
export interface OriginContact {
  leadUnit: string; // 牵头单位名称
  leadName: string; // 牵头单位负责人姓名
  leadTitle: string | null; // 职称/职务
  leadLandline: string | null; // 固定电话
  leadMobile: string | null; // 手机号
  officerName: string; // 具体负责人姓名
  officerLandline: string | null;
  officerMobile: string;
  officerEmail: string | null;
  note: string | null; // 备注
}

/** A region's contact list set or changed (stream `origin-contacts-{regionCode}`); the whole list after it. */
export type OriginContactsUpdated = DomainEvent<
  'OriginContactsUpdated',
  { regionCode: string; level: 'ministry' | 'province' | 'city' | 'county' | 'township'; contacts: OriginContact[]; updatedBy: OriginActorRef; updatedAt: string }
>;

export type OriginContactEvent = OriginContactsUpdated;
export const ORIGIN_CONTACT_EVENT_TYPES: OriginContactEvent['type'][] = ['OriginContactsUpdated'];
