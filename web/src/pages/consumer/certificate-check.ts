import { ApiError, get } from '../../api/client';
import type { ConsumerView } from '../../api/types';
import { t } from '../../i18n/i18n';
import { alert, errorView, field, loading } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { dateTime } from '../../ui/format';

/** Certificate numbers as people type them: case, spaces and hyphens do not matter. */
const normal = (no: string) => no.replace(/[\s\-－—]/g, '').toUpperCase();

interface VerifiedCertificate {
  certificateNo: string;
  market: { name: string; kind: string };
  issuedAt: string;
}

/**
 * 入市追溯凭证核验: a shopper types the number on the paper voucher (or scans its QR, which opens
 * `/t/{code}?cert={no}`) and learns whether it is a certificate of this lot. The server decides
 * (`GET /api/v1/certificates/{no}?traceCode=`): genuine only if the ledger gave this lot that certificate; a
 * number printed on a forged voucher (404, or 400 when it is not even shaped like one) or a real one copied
 * onto another lot's goods (404) is refused.
 */
export function certificateCheck(view: ConsumerView, initial: string | null): HTMLElement {
  const out = h('div', { class: 'form-out', 'aria-live': 'polite', 'data-testid': 'certificate-result' });
  const input = h('input', { name: 'certificateNo', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', 'data-testid': 'certificate-input', value: initial ?? '' });
  let asked = 0;
  const check = async (typed: string) => {
    const no = typed.trim();
    const mine = ++asked;
    if (!no) return replace(out);
    replace(out, loading());
    let box: HTMLElement;
    try {
      const found = await get<VerifiedCertificate>(`/api/v1/certificates/${encodeURIComponent(normal(no))}`, { traceCode: view.traceCode });
      box = alert('ok', t('consumer.certValidTitle'), t('consumer.certValidBody', { market: found.market.name, date: dateTime(found.issuedAt) }));
      box.dataset.testid = 'certificate-valid';
    } catch (err) {
      if (!(err instanceof ApiError) || (err.status !== 404 && err.status !== 400)) box = errorView(err);
      else {
        box = alert('bad', t('consumer.certInvalidTitle'), t('consumer.certInvalidBody', { no }));
        box.dataset.testid = 'certificate-refused';
      }
    }
    if (mine === asked) replace(out, box);
  };
  const form = h(
    'form',
    {
      class: 'certificate-check',
      'data-testid': 'certificate-check',
      onsubmit: (ev: SubmitEvent) => {
        ev.preventDefault();
        void check(input.value);
      },
    },
    h('div', { class: 'lookup-row' }, field(t('consumer.certNo'), input), h('button', { type: 'submit', 'data-testid': 'certificate-submit' }, t('consumer.certSubmit'))),
  );
  if (initial) void check(initial);
  return h('div', null, h('h3', null, t('consumer.certCheck')), form, out);
}
