import { ApiError } from '../../api/errors';
import { withQuery } from '../../api/client';
import { session } from '../../app/session';

/**
 * 检测结果汇总表 as XLSX from the server (GET /api/v1/tasks/{id}/summary.xlsx): the counts, per analyte and per
 * sample, with the verdicts that count. `lab` for one lab's samples; without it the whole task (the lead lab).
 */
export async function downloadSummary(taskId: string, lab: string | undefined): Promise<void> {
  const res = await fetch(withQuery(`/api/v1/tasks/${encodeURIComponent(taskId)}/summary.xlsx`, { lab }), { headers: { ...session.authHeaders() } });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: string; message?: string };
    throw new ApiError(res.status, body.error ?? `HTTP_${res.status}`, body.message ?? res.statusText, {});
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'summary.xlsx';
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
