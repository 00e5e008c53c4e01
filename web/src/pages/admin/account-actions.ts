import { post } from '../../api/client';
import { t } from '../../i18n/i18n';
import { alert, busy, errorView } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { isLocked, type Account } from '../supervisor/work-api';

interface Outcome {
  account: Account;
  /** reset-password only, on the first answer only. */
  temporaryPassword?: string;
}

/**
 * Disable (with a reason) / enable / unlock / reset password for one account. A reset shows the one-time
 * password once, here, for the admin to hand over: it is not kept anywhere in the app.
 */
export function accountActions(a: Account, changed: () => void): HTMLElement {
  const out = h('div', { class: 'form-out', 'aria-live': 'polite' });
  const path = (action: string) => `/api/v1/accounts/${encodeURIComponent(a.accountId)}/${action}`;
  const act = (button: HTMLButtonElement, action: string, body: Record<string, unknown> = {}) =>
    busy(button, out, () => post<Outcome>(path(action), body)).then((r) => {
      if (r) changed();
      return r;
    });

  const buttons: HTMLElement[] = [];
  if (a.status === 'active') {
    const reason = h('input', { name: 'reason', placeholder: t('admin.disableReason'), 'aria-label': t('admin.disableReason'), 'data-testid': 'disable-reason' });
    const disable = h('button', { type: 'button', class: 'secondary', 'data-testid': 'account-disable' }, t('admin.disable'));
    disable.addEventListener('click', () => {
      if (!reason.value.trim()) {
        reason.focus();
        replace(out, alert('bad', t('admin.reasonNeeded')));
        return;
      }
      void act(disable, 'disable', { reason: reason.value.trim() });
    });
    buttons.push(reason, disable);
  } else {
    const enable = h('button', { type: 'button', class: 'secondary', 'data-testid': 'account-enable' }, t('admin.enable'));
    enable.addEventListener('click', () => void act(enable, 'enable'));
    buttons.push(enable);
  }
  if (isLocked(a)) {
    const unlock = h('button', { type: 'button', class: 'secondary', 'data-testid': 'account-unlock' }, t('admin.unlock'));
    unlock.addEventListener('click', () => void act(unlock, 'unlock'));
    buttons.push(unlock);
  }
  const reset = h('button', { type: 'button', class: 'secondary', 'data-testid': 'account-reset' }, t('admin.resetPassword'));
  reset.addEventListener('click', async () => {
    reset.disabled = true;
    out.replaceChildren();
    try {
      const r = await post<Outcome>(path('reset-password'), {});
      // Shown once: the API answers the password only to the first request.
      replace(
        out,
        alert('ok', t('admin.temporaryPassword'), h('code', { class: 'secret', 'data-testid': 'temporary-password' }, r.temporaryPassword ?? '—'), t('admin.temporaryHint')),
      );
    } catch (err) {
      replace(out, errorView(err));
    } finally {
      reset.disabled = false;
    }
  });
  buttons.push(reset);
  return h('div', { class: 'account-actions' }, h('div', { class: 'row' }, buttons), out);
}
