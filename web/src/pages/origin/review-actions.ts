import { t } from '../../i18n/i18n';
import { alert, busy } from '../../ui/components';
import { h } from '../../ui/dom';
import { approve, returnRecord } from './origin-api';

/** 审核: approve, or return with a reason and a deadline (the end of the chosen day, China time). */
export function reviewActions(id: string, onDone: () => void): HTMLElement {
  const out = h('div', { 'data-testid': 'origin-review-out' });
  const approveButton = h('button', { type: 'button', 'data-testid': 'origin-approve' }, t('origin.approve')) as HTMLButtonElement;
  approveButton.addEventListener('click', () => void busy(approveButton, out, async () => (await approve(id), onDone())));
  const reason = h('input', { name: 'reason', 'data-testid': 'origin-return-reason', placeholder: t('origin.returnReason'), 'aria-label': t('origin.returnReason') });
  const deadline = h('input', { type: 'date', name: 'deadline', 'data-testid': 'origin-return-deadline', 'aria-label': t('origin.returnDeadline') });
  const form = h(
    'form',
    { class: 'return-form' },
    reason,
    deadline,
    h('button', { type: 'submit', class: 'secondary', 'data-testid': 'origin-return' }, t('origin.return')),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const button = form.querySelector('button') as HTMLButtonElement;
    void busy(button, out, async () => {
      await returnRecord(id, reason.value.trim(), deadline.value ? `${deadline.value}T23:59:59+08:00` : '');
      out.replaceChildren(alert('ok', t('origin.returned')));
      onDone();
    });
  });
  return h('div', { class: 'review-actions' }, approveButton, form, out);
}
