import { ApiError } from '../../api/errors';
import { withQuery } from '../../api/client';
import { session } from '../../app/session';

/** Downloads a view's data from the server's XLSX export (GET /api/v1/statistics/export) with the caller's credentials. */
export async function downloadXlsx(query: Record<string, string | undefined>): Promise<void> {
  const res = await fetch(withQuery('/api/v1/statistics/export', query), { headers: { ...session.authHeaders() } });
  if (!res.ok) {
    const body = await res.json().catch(() => ({}) as { error?: string; message?: string });
    throw new ApiError(res.status, body.error ?? `HTTP_${res.status}`, body.message ?? res.statusText, {});
  }
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'statistics.xlsx';
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.dataset.testid = 'xlsx-download';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
