import { ApiError, get, post, withQuery } from '../../api/client';
import { session } from '../../app/session';

/** The origin records API (/api/v1/origin, decision 0016) as the pages use it. */
export interface OriginFields {
  producerName: string;
  producerType: string;
  industry: string;
  product: { code: string; name: string };
  alias: string | null;
  certification: string | null;
  address: { provinceName: string; cityName: string; countyName: string; townshipName: string; villageName: string; villageCode: string; detail: string | null };
  point: { lat: string; lon: string };
  contact: { name: string; mobile: string };
  scale: { amount: string; unit: string; entered: { amount: string; unit: string } | null };
  aquacultureMode: string | null;
  marketing: { from: string; to: string } | null;
  productionMethods: string[];
  traceMethods: string[];
  creditRating: string | null;
  gridWorker: { name: string; mobile: string };
  collector: { name: string; mobile: string };
  entityId: string | null;
}
export interface OriginRecord {
  _id: string;
  fields: OriginFields;
  product: string;
  productName: string;
  reviewState: 'pending' | 'approved' | 'returned';
  inScope: boolean;
  returnReason: string | null;
  returnDeadline: string | null;
  refreshDueAt: string | null;
  collectorName: string;
  channel: string;
  updatedAt: string;
  revisions: number;
}
export interface OriginPoint {
  id: string;
  product: string;
  lat: string;
  lon: string;
  reviewState: string;
  inScope: boolean;
}
export interface KeyProduct {
  code: string;
  name: string;
  industry: string;
  unit: string;
}
export interface Completeness {
  region: string;
  collected: number;
  approved: number;
  returned: number;
  pending: number;
  inScope: number;
  /** 目标任务: the region's expected count (null: no target set in it), and in-scope records over it. */
  expected: number | null;
  collectedRate: number | null;
  approvedRate: number | null;
  byProduct: { product: string; name: string; collected: number; approved: number; inScope: number; expected: number | null; collectedRate: number | null }[];
}
export interface ImportStatus {
  importId: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  fileName: string;
  rowsRead: number;
  accepted: number;
  refused: number;
  created: number;
  updated: number;
  unchanged: number;
  bytesRead: number;
  bytesTotal: number;
  error: { code: string; message: string } | null;
}
export interface RowResult {
  row: number;
  result: 'accepted' | 'refused';
  outcome?: string;
  recordId?: string;
  column?: string;
  field?: string;
  code?: string;
  rule?: string;
}

export type OriginQuery = Record<string, string>;

const BASE = '/api/v1/origin';
export const products = () => get<{ items: KeyProduct[] }>(`${BASE}/products`).then((r) => r.items);
export const listRecords = (q: OriginQuery) => get<{ items: OriginRecord[]; total: number; page: number; pageSize: number }>(`${BASE}/records`, q);
export const record = (id: string) => get<OriginRecord>(`${BASE}/records/${encodeURIComponent(id)}`);
export const points = (q: OriginQuery) => get<{ items: OriginPoint[]; truncated: boolean }>(`${BASE}/points`, q);
export const completeness = (q: OriginQuery) => get<Completeness>(`${BASE}/completeness`, q);
export const collect = (fields: Record<string, unknown>, channel: 'form' | 'map') => post<{ recordId: string; reviewState: string }>(`${BASE}/records`, { fields, channel });
export const approve = (id: string) => post<{ reviewState: string }>(`${BASE}/records/${encodeURIComponent(id)}/approve`);
export const returnRecord = (id: string, reason: string, deadline: string) => post<{ reviewState: string }>(`${BASE}/records/${encodeURIComponent(id)}/return`, { reason, deadline });
export const importStatus = (id: string) => get<ImportStatus>(`${BASE}/imports/${encodeURIComponent(id)}`);
export const importResults = (id: string, refused: boolean) => get<{ items: RowResult[]; total: number }>(`${BASE}/imports/${encodeURIComponent(id)}/results`, { refused: refused ? 'true' : undefined, pageSize: 1000 });

/** 信息变更: PUT the whole form again. */
export async function change(id: string, fields: Record<string, unknown>): Promise<{ changed: boolean; reviewState: string }> {
  return send('PUT', `${BASE}/records/${encodeURIComponent(id)}`, JSON.stringify({ fields }), 'application/json');
}

/** Uploads a filled 采集表 as its raw bytes; the answer is the queued import. */
export function upload(file: File): Promise<ImportStatus> {
  const type = /\.csv$/i.test(file.name) ? 'text/csv' : 'application/octet-stream';
  return send('POST', withQuery(`${BASE}/imports`, { filename: file.name }), file, type);
}

async function send<T>(method: string, path: string, body: BodyInit, type: string): Promise<T> {
  const res = await fetch(path, { method, headers: { Accept: 'application/json', 'Content-Type': type, ...session.authHeaders() }, body });
  const payload = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, payload.error ?? `HTTP_${res.status}`, payload.message ?? res.statusText, payload.details ?? {});
  return payload as T;
}

/** A file the API renders (template, error workbook, export), fetched with the caller's credentials and saved. */
export async function download(path: string, filename: string): Promise<void> {
  const res = await fetch(path, { headers: session.authHeaders() });
  if (!res.ok) {
    const payload = await res.json().catch(() => ({}));
    throw new ApiError(res.status, payload.error ?? `HTTP_${res.status}`, payload.message ?? res.statusText, payload.details ?? {});
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
export const templateUrl = (format: 'xlsx' | 'csv') => `${BASE}/template.${format}`;
export const errorsUrl = (id: string) => `${BASE}/imports/${encodeURIComponent(id)}/errors.xlsx`;
export const exportUrl = (q: OriginQuery) => withQuery(`${BASE}/records/export`, q);
