import { post } from '../../api/client';
import { regionLabel, regionNames } from '../../api/regions';
import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { session, type Role } from '../../app/session';
import { label, t } from '../../i18n/i18n';
import { alert, badge, busy, card, empty, errorView, field } from '../../ui/components';
import { formValues, h, replace } from '../../ui/dom';
import { dateTime, number } from '../../ui/format';
import { allAccounts, isLocked, type Account } from '../supervisor/work-api';
import { accountActions } from './account-actions';
import { creatableRoles, createsAccounts, regionDigitsOf } from './admin-roles';
import { inMyOrganisation } from './organisation';

/**
 * 账号管理: the accounts of my organisation and of the levels below (the API lists those of my region), with
 * create, disable, enable, unlock and reset password. Who may act on whom is the API's rule (delegation).
 */
export const accountsPage: Page = async (root) => {
  setTitle(t('admin.title'));
  const who = session.identity();
  const lists = h('div', { 'data-testid': 'accounts' });
  const create = createsAccounts(who?.role) ? createForm(() => void load()) : null;
  replace(root, h('h1', null, t('admin.title')), h('p', null, h('a', { href: '#/admin/org' }, t('admin.orgLink'))), create, lists);

  async function load(): Promise<void> {
    try {
      const accounts = await allAccounts();
      await regionNames(accounts.map((a) => a.regionCode.slice(0, 6))).catch(() => undefined);
      const me = accounts.find((a) => a.accountId === who?.userId);
      const mine = accounts.filter((a) => me && inMyOrganisation(me, a));
      const below = accounts.filter((a) => !mine.includes(a));
      replace(
        lists,
        card(t('admin.mine', { count: number(mine.length) }), mine.length ? accountsTable(mine, who?.userId, load) : empty(t('admin.none'))),
        card(t('admin.below', { count: number(below.length) }), below.length ? accountsTable(below, who?.userId, load) : empty(t('admin.none'))),
      );
    } catch (err) {
      replace(lists, errorView(err));
    }
  }
  await load();
};

export function statusBadges(a: Account): HTMLElement[] {
  const out = [a.status === 'active' ? badge(t('admin.status.active'), 'ok') : badge(t('admin.status.disabled'), 'bad')];
  if (isLocked(a)) out.push(badge(t('admin.status.locked'), 'warn'));
  if (a.mustChangePassword) out.push(badge(t('admin.status.mustChange'), 'info'));
  return out;
}

export function accountsTable(accounts: Account[], myId: string | undefined, reload: () => Promise<void>): HTMLElement {
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'table' },
      h('thead', null, h('tr', null, [t('admin.user'), t('admin.role'), t('admin.region'), t('admin.org'), t('admin.lastLogin'), t('admin.statusCol'), t('admin.actions')].map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        null,
        accounts.map((a) =>
          h(
            'tr',
            { 'data-testid': 'account-row', 'data-username': a.username, 'data-status': a.status },
            h('td', null, h('strong', null, a.displayName), h('br'), h('small', { class: 'muted' }, a.username)),
            h('td', null, label('role', a.role)),
            h('td', null, a.regionCode ? regionLabel(a.regionCode.slice(0, 6), true) : t('admin.national')),
            h('td', null, a.orgName ?? a.orgId),
            h('td', null, dateTime(a.lastLoginAt)),
            h('td', { 'data-testid': 'account-status' }, statusBadges(a), a.disabledReason ? h('small', { class: 'muted' }, ` ${a.disabledReason}`) : null),
            // Not one's own account (the API refuses it: change it under /auth/password), not a producer's here.
            h('td', null, a.accountId === myId ? h('small', { class: 'muted' }, t('admin.itsYou')) : accountActions(a, () => void reload())),
          ),
        ),
      ),
    ),
  );
}

function createForm(created: () => void): HTMLElement {
  const who = session.identity();
  const roles = creatableRoles(who?.role);
  const out = h('div', { class: 'form-out', 'aria-live': 'polite' });
  const regionInput = h('input', { name: 'regionCode', value: who?.regionCode ?? '', inputmode: 'numeric', pattern: '\\d{0,12}', 'data-testid': 'new-region' });
  const regionHint = h('small', null);
  const roleSelect = h('select', { name: 'role', 'data-testid': 'new-role' }, roles.map((r) => h('option', { value: r }, label('role', r))));
  const hint = () => {
    const digits = regionDigitsOf(roleSelect.value as Role);
    regionHint.textContent = digits ? t('admin.regionDigits', { digits }) : t('admin.regionOwn');
  };
  roleSelect.addEventListener('change', hint);
  hint();
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'stack',
      'data-testid': 'account-form',
      onsubmit: async (ev: SubmitEvent) => {
        ev.preventDefault();
        const v = formValues(form);
        const body = { username: v.username ?? '', password: v.password ?? '', displayName: v.displayName ?? '', role: v.role ?? '', regionCode: v.regionCode ?? '', orgName: v.orgName ?? '' };
        const r = await busy(form.querySelector('button[type=submit]'), out, () => post<{ accountId: string }>('/api/v1/accounts', body));
        if (r) {
          form.reset();
          hint();
          replace(out, alert('ok', t('admin.created', { username: body.username }), t('admin.createdHint')));
          created();
        }
      },
    },
    h(
      'div',
      { class: 'row' },
      field(t('admin.username'), h('input', { name: 'username', required: true, minlength: 3, maxlength: 64, autocomplete: 'off', 'data-testid': 'new-username' })),
      field(t('admin.displayName'), h('input', { name: 'displayName', required: true, maxlength: 100, 'data-testid': 'new-display-name' })),
      field(t('admin.role'), roleSelect),
    ),
    h(
      'div',
      { class: 'row' },
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('admin.regionCode')), regionInput, regionHint),
      field(t('admin.orgName'), h('input', { name: 'orgName', required: true, maxlength: 100, 'data-testid': 'new-org' })),
      field(t('admin.initialPassword'), h('input', { name: 'password', type: 'password', required: true, autocomplete: 'new-password', 'data-testid': 'new-password' }), t('admin.initialHint')),
    ),
    h('div', null, h('button', { type: 'submit', 'data-testid': 'account-create' }, t('admin.create'))),
  );
  return h('details', { class: 'card', open: true }, h('summary', null, h('strong', null, t('admin.createTitle'))), form, out);
}
