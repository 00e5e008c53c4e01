import { openPdf } from '../../api/client';
import { t } from '../../i18n/i18n';
import { busy } from '../../ui/components';
import { h } from '../../ui/dom';

/** 打印标签: the server renders the PDF (QR of {PUBLIC_URL}/t/{code}); it opens in a new tab to print. */
export function labelButton(traceCode: string): HTMLElement {
  const out = h('span', { class: 'inline-out' });
  const b = h('button', { type: 'button', class: 'secondary small', 'data-testid': 'print-label' }, t('lot.printLabel'));
  b.addEventListener('click', () => void busy(b, out, () => openPdf(`/api/v1/lots/${traceCode}/label.pdf`, `label-${traceCode}.pdf`)));
  return h('span', null, b, out);
}
