import { ApiError } from '../../api/errors';
import { withQuery } from '../../api/client';
import { session } from '../../app/session';

/** Downloads a view's data from the server's XLSX export (GET /api/v1/statistics/export) with the caller's credentials. */
export async function downloadXlsx(query: Record<string, string | undefined>, path = '/api/v1/statistics/export'): Promise<void> {
  await downloadFile(withQuery(path, query), 'statistics.xlsx');
}

/** Downloads a file the API serves (an export, a generated report) with the caller's credentials. */
export async function downloadFile(source: string, fallbackName: string): Promise<void> {
  const res = await fetch(source, { headers: { ...session.authHeaders() } });
  if (!res.ok) {
    const body = await res.json().catch(() => ({}) as { error?: string; message?: string });
    throw new ApiError(res.status, body.error ?? `HTTP_${res.status}`, body.message ?? res.statusText, {});
  }
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
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
