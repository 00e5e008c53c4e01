import type { Role } from '../../app/session';
import { t } from '../../i18n/i18n';
import { h } from '../../ui/dom';
import { collectsOrigin, reviewsOrigin } from './roles';

/** The origin pages' own tabs: 一张表, 一张图, 完成情况 (in the table), 批量导入 and 审核 by role. */
export function originTabs(active: string, role: Role | undefined): HTMLElement {
  const tabs: [string, string, boolean][] = [
    ['table', '#/origin', true],
    ['map', '#/origin/map', true],
    ['import', '#/origin/import', collectsOrigin(role)],
    ['review', '#/origin/review', reviewsOrigin(role)],
    ['new', '#/origin/new', collectsOrigin(role)],
  ];
  return h(
    'nav',
    { class: 'tabs origin-tabs', 'aria-label': t('nav.origin') },
    tabs.filter(([, , shown]) => shown).map(([key, href]) => h('a', { href, class: key === active ? 'active' : null, 'data-testid': `origin-tab-${key}` }, t(`origin.tab.${key}` as never))),
  );
}
