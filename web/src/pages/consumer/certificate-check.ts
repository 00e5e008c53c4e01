import type { ConsumerView } from '../../api/types';
import { t } from '../../i18n/i18n';
import { alert, field } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { dateTime } from '../../ui/format';

/** Certificate numbers as people type them: case, spaces and hyphens do not matter. */
const normal = (no: string) => no.replace(/[\s\-－—]/g, '').toUpperCase();

/**
 * 入市追溯凭证核验: a shopper types the number on the paper voucher (or scans its QR, which opens
 * `/t/{code}?cert={no}`) and learns whether it is a certificate of this lot. The check is against the
 * certificates the ledger holds for the lot (the public view lists them), so a number printed on a forged
 * voucher — or a real one copied onto another lot's goods — is refused.
 */
export function certificateCheck(view: ConsumerView, initial: string | null): HTMLElement {
  const out = h('div', { class: 'form-out', 'aria-live': 'polite', 'data-testid': 'certificate-result' });
  const input = h('input', { name: 'certificateNo', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', 'data-testid': 'certificate-input', value: initial ?? '' });
  const check = (typed: string) => {
    const no = typed.trim();
    if (!no) return replace(out);
    const found = view.certificates.find((c) => normal(c.certificateNo) === normal(no));
    const box = found
      ? alert('ok', t('consumer.certValidTitle'), t('consumer.certValidBody', { market: found.market.name, date: dateTime(found.issuedAt) }))
      : alert('bad', t('consumer.certInvalidTitle'), t('consumer.certInvalidBody', { no }));
    box.dataset.testid = found ? 'certificate-valid' : 'certificate-refused';
    replace(out, box);
  };
  const form = h(
    'form',
    {
      class: 'certificate-check',
      'data-testid': 'certificate-check',
      onsubmit: (ev: SubmitEvent) => {
        ev.preventDefault();
        check(input.value);
      },
    },
    h('div', { class: 'lookup-row' }, field(t('consumer.certNo'), input), h('button', { type: 'submit', 'data-testid': 'certificate-submit' }, t('consumer.certSubmit'))),
  );
  if (initial) check(initial);
  return h('div', null, h('h3', null, t('consumer.certCheck')), form, out);
}
