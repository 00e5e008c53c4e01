import { config } from '../app/config';
import type { Page } from '../app/page';
import { setTitle } from '../app/page';
import { go } from '../app/router';
import { homeOf, session, type Identity, type Role } from '../app/session';
import { label, t } from '../i18n/i18n';
import { alert, busy, pageCard, field } from '../ui/components';
import { formValues, h, replace } from '../ui/dom';

const DEV_ROLES: Role[] = ['ministry-admin', 'province-admin', 'county-admin', 'supervisor', 'auditor', 'lab', 'producer'];

/** Sign in (tokens) or, on a development server (AUTH=dev-headers), choose whom to act as. */
export const loginPage: Page = async (root, route) => {
  setTitle(t('login.title'));
  const next = route.query.get('next');
  const after = (who: Identity) => go(next && next.startsWith('#') ? next : homeOf(who.role));
  const out = h('div', { class: 'form-out' });

  if (config().authMode === 'dev-headers') {
    const form = h(
      'form',
      {
        class: 'stack',
        onsubmit: (ev: SubmitEvent) => {
          ev.preventDefault();
          const v = formValues(form);
          const role = v.role as Role;
          const identity: Identity = {
            role,
            orgId: v.orgId ?? 'dev-org',
            userId: v.userId ?? `dev-${role}`,
            regionCode: v.regionCode ?? '',
            displayName: v.displayName ?? label('role', role),
          };
          session.actAs(identity);
          after(identity);
        },
      },
      field(t('login.role'), h('select', { name: 'role' }, DEV_ROLES.map((r) => h('option', { value: r }, label('role', r))))),
      field(t('login.orgId'), h('input', { name: 'orgId', placeholder: 'entity id / org id' }), t('login.orgIdHint')),
      field(t('login.region'), h('input', { name: 'regionCode', inputmode: 'numeric', pattern: '\\d{0,6}' }), t('login.regionHint')),
      field(t('login.displayName'), h('input', { name: 'displayName' })),
      h('button', { type: 'submit' }, t('login.actAs')),
    );
    replace(root, pageCard(t('login.devTitle'), h('p', { class: 'muted' }, t('login.devLead')), form, out));
    return;
  }

  const submit = h('button', { type: 'submit', 'data-testid': 'login-submit' }, t('login.submit'));
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'stack',
      onsubmit: async (ev: SubmitEvent) => {
        ev.preventDefault();
        const v = formValues(form);
        const who = await busy(submit, out, () => session.signIn(v.username ?? '', v.password ?? ''));
        if (who && session.mustChangePassword()) changePasswordForm(root, v.password ?? '', after);
        else if (who) after(who);
      },
    },
    field(t('login.username'), h('input', { name: 'username', autocomplete: 'username', required: true, 'data-testid': 'login-username' })),
    field(t('login.password'), h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'login-password' })),
    submit,
  );
  replace(root, h('div', { class: 'narrow' }, pageCard(t('login.title'), form, out, h('p', { class: 'muted' }, t('login.hint')))));
};

/**
 * First sign-in (or after a reset): the password was chosen by someone else, and the API answers every other
 * request with PASSWORD_CHANGE_REQUIRED until the owner sets their own. The current password is the one just typed.
 */
function changePasswordForm(root: HTMLElement, currentPassword: string, after: (who: Identity) => void): void {
  const out = h('div', { class: 'form-out' });
  const submit = h('button', { type: 'submit', 'data-testid': 'change-password-submit' }, t('login.changeSubmit'));
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'stack',
      onsubmit: async (ev: SubmitEvent) => {
        ev.preventDefault();
        const v = formValues(form);
        if (v.newPassword !== v.confirmPassword) {
          out.replaceChildren(alert('bad', t('login.passwordMismatch')));
          return;
        }
        const who = await busy(submit, out, () => session.changePassword(currentPassword, v.newPassword ?? ''));
        if (who) after(who);
      },
    },
    field(t('login.newPassword'), h('input', { name: 'newPassword', type: 'password', autocomplete: 'new-password', required: true, minlength: '10', 'data-testid': 'new-password' }), t('login.passwordRules')),
    field(t('login.confirmPassword'), h('input', { name: 'confirmPassword', type: 'password', autocomplete: 'new-password', required: true, 'data-testid': 'confirm-password' })),
    submit,
  );
  replace(root, h('div', { class: 'narrow' }, pageCard(t('login.changeTitle'), h('p', { class: 'muted' }, t('login.changeLead')), form, out)));
}
