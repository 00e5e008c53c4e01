import { get, post } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { IncidentChain, IncidentDetail, IncidentSummary, RecallNotice, RecallProgressView } from '../../api/types';
import { session } from '../../app/session';

/** The incident and recall routes of the API (infrastructure/http/incidents/), one function each. */
const base = (id: string) => `/api/v1/incidents/${encodeURIComponent(id)}`;

export const listIncidents = (status: string) => get<{ items: IncidentSummary[]; total: number }>('/api/v1/incidents', { status });
export const getIncident = (id: string) => get<IncidentDetail>(base(id));
export const getChain = (id: string) => get<IncidentChain>(`${base(id)}/chain`);
export const getRecall = (id: string) => get<RecallProgressView>(`${base(id)}/recall`);

export type Outcome = { incidentId: string; status: string; leadRegionCode: string };

export const openFromWarning = (warningId: string, responsible: { userId: string; name: string }) =>
  post<Outcome>(`/api/v1/risk-warnings/${encodeURIComponent(warningId)}/incident`, { responsible });
export const grade = (id: string, level: string, reason: string) => post<Outcome>(`${base(id)}/grade`, { level, reason });
export const review = (id: string, decision: string, opinion: string, recallDeadlineHours: number) =>
  post<Outcome>(`${base(id)}/review`, { decision, opinion, recallDeadlineHours });
export const logHandling = (id: string, entry: { kind: string; description: string; documents: { name: string }[]; people: { name: string; role: string }[] }) =>
  post<Outcome>(`${base(id)}/log`, entry);
export const publishNotice = (id: string, title: string, body: string) => post<Outcome>(`${base(id)}/notices`, { title, body });
export const closeIncident = (id: string, record: { summary: string; cause: string; measures: string; outcome: string }) => post<Outcome>(`${base(id)}/close`, { record });

export const recallInbox = () => get<{ items: RecallNotice[]; total: number; unanswered: number }>('/api/v1/recalls');
const notice = (n: { incidentId: string; holderEntityId: string }) => `/api/v1/recalls/${encodeURIComponent(n.incidentId)}/${encodeURIComponent(n.holderEntityId)}`;
export const acknowledgeRecall = (n: RecallNotice, note: string | null) => post(`${notice(n)}/acknowledge`, { note });
export const reportRecall = (n: RecallNotice, lots: Record<string, unknown>[], note: string | null) => post(`${notice(n)}/report`, { lots, note });

/** True when the route itself is missing (Nest's "Cannot GET …"), as opposed to a missing record. */

/** A report file fetched with the caller's credentials and saved under `filename`. */
export async function download(path: string, filename: string): Promise<Blob> {
  const res = await fetch(path, { headers: { Accept: '*/*', ...session.authHeaders() } });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: string; message?: string; details?: Record<string, unknown> };
    if (res.status === 401) session.expire();
    throw new ApiError(res.status, body.error ?? `HTTP_${res.status}`, body.message ?? res.statusText, body.details ?? {});
  }
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return blob;
}
