import { regionLabel, regionNames } from '../../api/regions';
import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { hashHref } from '../../app/router';
import { label, t } from '../../i18n/i18n';
import { badge, empty, errorView, pager } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { dateTime, number } from '../../ui/format';
import { listCases } from './enforcement-api';

const STATUSES = ['open', 'closed', 'all'];

/** 案件收件箱: cases referred to enforcement in my region (failed results, inspection findings), newest first. */
export const casesPage: Page = async (root, route) => {
  setTitle(t('enf.title'));
  const status = route.query.get('status') ?? 'open';
  const page = Math.max(1, Number(route.query.get('page')) || 1);
  const list = h('div', { 'data-testid': 'cases' });
  replace(
    root,
    h('h1', null, t('enf.title')),
    h('p', null, h('a', { href: '#/cases/new', 'data-testid': 'case-new' }, t('enf.newTitle'))),
    h('nav', { class: 'tabs', 'aria-label': t('enf.byStatus') }, STATUSES.map((s) => h('a', { href: hashHref('/cases', { status: s }), class: s === status ? 'active' : null, 'aria-current': s === status ? 'page' : null }, t(`enf.status.${s}` as 'enf.status.open')))),
    list,
  );
  try {
    const r = await listCases(status === 'all' ? '' : status, page);
    await regionNames(r.items.map((c) => c.regionCode)).catch(() => undefined);
    replace(
      list,
      h('p', { class: 'counts' }, t('enf.total', { total: number(r.total) })),
      r.items.length
        ? h(
            'div',
            { class: 'table-scroll' },
            h(
              'table',
              { class: 'table' },
              h('thead', null, h('tr', null, [t('enf.subject'), t('enf.product'), t('enf.referral'), t('enf.region'), t('enf.openedAt'), t('enf.statusCol')].map((c) => h('th', { scope: 'col' }, c)))),
              h(
                'tbody',
                null,
                r.items.map((c) =>
                  h(
                    'tr',
                    { 'data-testid': 'case-row', 'data-case': c.caseId },
                    h('td', null, h('a', { href: `#/cases/${encodeURIComponent(c.caseId)}` }, c.subject.entityName), h('br'), h('small', { class: 'muted' }, c.summary)),
                    h('td', null, c.product ?? '—'),
                    h('td', null, label('referralKind', c.referral.kind), c.subject.unregistered ? [' ', badge(t('enf.unregistered'), 'warn')] : null),
                    h('td', null, regionLabel(c.regionCode, true)),
                    h('td', null, dateTime(c.openedAt)),
                    h(
                      'td',
                      null,
                      c.status === 'open' ? badge(t('enf.status.open'), 'warn') : badge(label('caseOutcome', c.outcome), 'muted'),
                      c.status === 'open' && c.overdueOrders ? [' ', h('span', { 'data-testid': 'case-overdue' }, badge(t('enf.overdueCount', { count: c.overdueOrders }), 'bad'))] : null,
                    ),
                  ),
                ),
              ),
            ),
          )
        : empty(t('enf.none')),
      pager(page, r.size, r.total, (p) => hashHref('/cases', { status, page: p })),
    );
  } catch (err) {
    replace(list, errorView(err));
  }
};
