import { regionLabel, regionNames } from '../../api/regions';
import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { session } from '../../app/session';
import { label, t } from '../../i18n/i18n';
import { card, empty, errorView, facts } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { number } from '../../ui/format';
import { allAccounts } from '../supervisor/work-api';
import { accountsTable } from './accounts-page';
import { inMyOrganisation } from './organisation';

/** 本机构: my organisation, the region it is responsible for, its users, and how many accounts each level below has. */
export const organisationPage: Page = async (root) => {
  setTitle(t('admin.orgTitle'));
  const who = session.identity();
  replace(root, h('h1', null, t('admin.orgTitle')), h('div', { 'data-testid': 'organisation' }));
  const body = root.querySelector<HTMLElement>('[data-testid=organisation]')!;
  try {
    const accounts = await allAccounts();
    const me = accounts.find((a) => a.accountId === who?.userId);
    if (!me || !who) {
      replace(body, empty(t('admin.noOrg')));
      return;
    }
    const region = me.regionCode.slice(0, 6);
    await regionNames([region, ...accounts.map((a) => a.regionCode.slice(0, 6))]).catch(() => undefined);
    const members = accounts.filter((a) => inMyOrganisation(me, a));
    const byRole = new Map<string, number>();
    for (const a of accounts.filter((x) => !members.includes(x))) byRole.set(a.role, (byRole.get(a.role) ?? 0) + 1);
    const reload = async () => {
      const fresh = await allAccounts();
      const m = fresh.filter((a) => inMyOrganisation(me, a));
      replace(users, m.length ? accountsTable(m, who.userId, reload) : empty(t('admin.none')));
    };
    const users = h('div', null, accountsTable(members, who.userId, reload));
    replace(
      body,
      card(
        me.orgName,
        facts([
          [t('admin.org'), me.orgName],
          [t('admin.orgId'), h('code', null, me.orgId)],
          [t('admin.region'), region ? `${regionLabel(region, true)}（${me.regionCode}）` : t('admin.national')],
          [t('admin.myRole'), label('role', me.role)],
          [t('admin.members'), number(members.length)],
        ]),
      ),
      card(t('admin.orgUsers'), users),
      card(
        t('admin.belowSummary'),
        byRole.size ? h('ul', { class: 'plain-list' }, [...byRole.entries()].map(([role, n]) => h('li', null, `${label('role', role)}：${number(n)}`))) : empty(t('admin.none')),
        h('p', null, h('a', { href: '#/admin' }, t('admin.title'))),
      ),
    );
  } catch (err) {
    replace(body, errorView(err));
  }
};
