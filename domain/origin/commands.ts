import type { OriginRecordInput } from './fields';
import type { CollectionChannel } from './types';
import type { OriginContact } from './events';

/** Where the content came from: the form, a map point (直接标注) or a spreadsheet row (import job and row number). */
interface Provenance {
  channel: CollectionChannel;
  importId?: string | null;
  row?: number | null;
}

/** 采集: a new record for one base or plot. */
export type CollectOriginRecord = { type: 'CollectOriginRecord'; data: Provenance & { recordId: string; fields: OriginRecordInput } };
/** 信息变更: the whole form again; nothing is appended when it equals the record (a re-import). */
export type ChangeOriginRecord = { type: 'ChangeOriginRecord'; data: Provenance & { fields: OriginRecordInput } };
/** 按期更新: still current, unchanged, for this cycle / month. */
export type RefreshOriginRecord = { type: 'RefreshOriginRecord'; data: Record<string, never> };
export type ApproveOriginRecord = { type: 'ApproveOriginRecord'; data: Record<string, never> };
/** 退回修改 with a reason and a deadline (ISO date-time, after now). */
export type ReturnOriginRecord = { type: 'ReturnOriginRecord'; data: { reason: string; deadline: string } };
/** Run by the deadline job: a return still unanswered after its deadline is flagged once. */
export type FlagOverdueReturn = { type: 'FlagOverdueReturn'; data: Record<string, never> };
export type RetireOriginRecord = { type: 'RetireOriginRecord'; data: { reason: string } };

export type OriginRecordCommand =
  | CollectOriginRecord
  | ChangeOriginRecord
  | RefreshOriginRecord
  | ApproveOriginRecord
  | ReturnOriginRecord
  | FlagOverdueReturn
  | RetireOriginRecord;

/** 附件2: replace a region's contact list. */
export type SetOriginContacts = { type: 'SetOriginContacts'; data: { regionCode: string; contacts: OriginContact[] } };
export type OriginContactCommand = SetOriginContacts;
