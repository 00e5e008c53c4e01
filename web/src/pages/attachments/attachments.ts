import { ApiError } from '../../api/errors';
import { get, openPdf } from '../../api/client';
import { session } from '../../app/session';
import { t } from '../../i18n/i18n';
import { field } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { number } from '../../ui/format';

/** What a command's `attachments` names: the upload's answer and the file's name (the ledger keeps these four). */
export interface AttachmentRef {
  sha256: string;
  contentType: string;
  size: number;
  name: string;
}

const ACCEPT = 'image/jpeg,image/png,image/webp,video/mp4,application/pdf';

/** Uploads one file as the raw body with its type (POST /api/v1/attachments); the server refuses a bad type or size by code. */
export async function uploadFile(file: File): Promise<AttachmentRef> {
  const res = await fetch('/api/v1/attachments', { method: 'POST', headers: { ...session.authHeaders(), 'Content-Type': file.type || 'application/octet-stream' }, body: file });
  const body = (await res.json().catch(() => ({}))) as { sha256?: string; size?: number; contentType?: string; error?: string; message?: string; details?: Record<string, unknown> };
  if (!res.ok) throw new ApiError(res.status, body.error ?? `HTTP_${res.status}`, body.message ?? res.statusText, { field: 'attachments', ...(body.details ?? {}) });
  return { sha256: body.sha256!, contentType: body.contentType!, size: body.size!, name: file.name.slice(0, 200) || body.sha256!.slice(0, 16) };
}

/**
 * A file field for a form (photos, video, PDF): `refs()` uploads the chosen files (content-addressed, so
 * sending the same file twice stores it once) and gives the references for the command's `attachments`.
 */
export function attachmentField(labelText: string, testid: string): { element: HTMLElement; refs: () => Promise<AttachmentRef[]> } {
  const input = h('input', { type: 'file', multiple: true, accept: ACCEPT, 'data-testid': testid });
  return {
    element: field(labelText, input, t('attach.hint')),
    refs: async () => {
      const files = [...(input.files ?? [])];
      const refs: AttachmentRef[] = [];
      for (const f of files) refs.push(await uploadFile(f));
      return refs;
    },
  };
}

/** The files attached to a record (GET /attachments/records/{kind}/{id}), each opened with the caller's credentials. */
export function attachmentList(kind: 'entity' | 'case' | 'sample', id: string): HTMLElement {
  const el = h('div', { class: 'attachments', 'data-testid': `attachments-${kind}` });
  void get<{ items: (AttachmentRef & { attachedAt: string })[] }>(`/api/v1/attachments/records/${kind}/${encodeURIComponent(id)}`)
    .then(({ items }) =>
      replace(
        el,
        items.length
          ? h(
              'ul',
              { class: 'plain' },
              items.map((f) =>
                h(
                  'li',
                  null,
                  h('button', { type: 'button', class: 'link', 'data-testid': 'attachment-open', onclick: () => void openPdf(`/api/v1/attachments/${f.sha256}`, f.name) }, f.name),
                  h('small', { class: 'muted' }, ` (${number(Math.ceil(f.size / 1024))} KB)`),
                ),
              ),
            )
          : h('small', { class: 'muted' }, t('attach.none')),
      ),
    )
    .catch(() => replace(el, h('small', { class: 'muted' }, t('attach.unavailable'))));
  return el;
}
