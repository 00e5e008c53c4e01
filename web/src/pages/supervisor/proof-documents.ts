import { get, openPdf } from '../../api/client';
import { t } from '../../i18n/i18n';
import { h, replace } from '../../ui/dom';
import { number } from '../../ui/format';

interface AttachedFile {
  sha256: string;
  contentType: string;
  size: number;
  name: string;
  attachedAt: string;
}

/**
 * 证明材料: the files an application came with (GET /attachments/records/entity/{id}), each opened with the
 * reviewer's credentials (the serve route checks the bytes against the SHA-256 the ledger recorded).
 */
export function proofDocuments(entityId: string): HTMLElement {
  const el = h('div', { class: 'proofs', 'data-testid': 'review-proofs' });
  void get<{ items: AttachedFile[] }>(`/api/v1/attachments/records/entity/${encodeURIComponent(entityId)}`)
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
                  h('button', { type: 'button', class: 'link', 'data-testid': 'proof-open', onclick: () => void openPdf(`/api/v1/attachments/${f.sha256}`, f.name) }, f.name),
                  h('small', { class: 'muted' }, ` ${t('work.reviews.proofSize', { kb: number(Math.ceil(f.size / 1024)) })}`),
                ),
              ),
            )
          : h('small', { class: 'muted' }, t('work.reviews.noProofs')),
      ),
    )
    .catch(() => replace(el, h('small', { class: 'muted' }, t('work.reviews.proofsUnavailable'))));
  return el;
}
