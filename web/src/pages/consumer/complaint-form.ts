import { post } from '../../api/client';
import { t } from '../../i18n/i18n';
import { alert, busy, field } from '../../ui/components';
import { formValues, h, replace } from '../../ui/dom';

/**
 * 12316 公众留言 / 投诉 about this lot: goes to the supervision of the county where it is sold. Nothing about the
 * shopper is asked for but what the answer needs; a phone number only with a call-back request (and the server
 * keeps it only then). The receipt shown after sending is how the answer is read later.
 */
export function complaintForm(traceCode: string): HTMLElement {
  const out = h('div', { class: 'form-out', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', 'data-testid': 'complaint-submit' }, t('complaint.send'));
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'stack',
      'data-testid': 'complaint-form',
      onsubmit: async (ev: SubmitEvent) => {
        ev.preventDefault();
        const v = formValues(form);
        const callBack = (form.elements.namedItem('callBack') as HTMLInputElement).checked;
        const sent = await busy(submit, out, () =>
          post<{ complaintId: string; receipt: string }>('/api/v1/complaints', {
            traceCode,
            content: v.content ?? '',
            ...(v.name || (callBack && v.phone) ? { contact: { ...(v.name ? { name: v.name } : {}), ...(callBack && v.phone ? { phone: v.phone, callBack: true } : {}) } } : {}),
          }),
        );
        if (sent) {
          form.hidden = true;
          replace(out, alert('ok', t('complaint.sent'), t('complaint.receipt', { id: sent.complaintId, receipt: sent.receipt })));
          out.dataset.testid = 'complaint-sent';
        }
      },
    },
    field(t('complaint.content'), h('textarea', { name: 'content', rows: 3, required: true, maxlength: 2000, 'data-testid': 'complaint-content' })),
    field(t('complaint.name'), h('input', { name: 'name', autocomplete: 'off' })),
    h('label', { class: 'choice' }, h('input', { type: 'checkbox', name: 'callBack', 'data-testid': 'complaint-callback' }), ` ${t('complaint.callBack')}`),
    field(t('complaint.phone'), h('input', { name: 'phone', type: 'tel', inputmode: 'tel', autocomplete: 'tel' }), t('complaint.phoneHint')),
    submit,
  );
  return h('details', { class: 'complaint', 'data-testid': 'complaint' }, h('summary', null, t('complaint.title')), h('p', { class: 'muted' }, t('complaint.lead')), form, out);
}
