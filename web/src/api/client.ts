import { session } from '../app/session';
import { ApiError } from './errors';

export { ApiError };

type Query = Record<string, string | number | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function request(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...session.authHeaders() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  if (res.ok) return res;
  let payload: { error?: string; message?: string; details?: Record<string, unknown> } = {};
  try {
    payload = await res.json();
  } catch {
    /* not JSON (a proxy's error page): keep the status */
  }
  // An expired or revoked token: forget it, so the app asks to sign in again.
  if (res.status === 401) session.expire();
  throw new ApiError(res.status, payload.error ?? `HTTP_${res.status}`, payload.message ?? res.statusText, payload.details ?? {});
}

export async function get<T>(path: string, query?: Query): Promise<T> {
  return (await request('GET', withQuery(path, query))).json() as Promise<T>;
}

/**
 * A command. Each submit carries a fresh commandId, so the API's idempotency makes a retried request
 * (double click, flaky network) return the first answer instead of acting twice.
 */
export async function post<T>(path: string, body: Record<string, unknown> = {}): Promise<T> {
  return (await request('POST', path, { commandId: crypto.randomUUID(), ...body })).json() as Promise<T>;
}

/** A PDF the API renders (labels, certificates), fetched with the caller's credentials and opened in a new tab to print. */
export async function openPdf(path: string, filename: string): Promise<Blob> {
  const blob = await (await request('GET', path)).blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.target = '_blank';
  a.rel = 'noopener';
  a.dataset.filename = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return blob;
}
