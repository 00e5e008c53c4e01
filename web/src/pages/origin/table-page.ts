import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { hashHref, replaceRouteQuery } from '../../app/router';
import { session } from '../../app/session';
import { label, t } from '../../i18n/i18n';
import { badge, busy, card, empty, errorView, loading, pager } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { dateTime, number } from '../../ui/format';
import { apiQuery, filterForm, filtersFrom } from './filters';
import { completeness, download, exportUrl, listRecords, products as loadProducts, type Completeness, type OriginQuery, type OriginRecord } from './origin-api';
import { originTabs } from './tabs';

const PAGE_SIZE = 20;
export const reviewTone = (s: string) => (s === 'approved' ? 'ok' : s === 'returned' ? 'bad' : 'warn');

/** 一张表: the records of the filters, paged, with completeness for the caller's region and the export. */
export const tablePage: Page = async (root, route) => {
  setTitle(t('origin.title'));
  const filters = filtersFrom(route.query);
  let page = Number(route.query.get('page') ?? '1') || 1;
  const products = await loadProducts();
  const summary = h('div', { 'data-testid': 'origin-completeness' }, loading());
  const list = h('div', { 'data-testid': 'origin-table' }, loading());
  const out = h('div');
  const exportButton = h('button', { type: 'button', 'data-testid': 'origin-export' }, t('origin.export')) as HTMLButtonElement;
  exportButton.addEventListener('click', () => void busy(exportButton, out, () => download(exportUrl(apiQuery(filters)), 'origin-records.xlsx')));
  replace(
    root,
    h('h1', null, t('origin.title')),
    originTabs('table', session.identity()?.role),
    h('div', { class: 'map-layout' }, h('aside', { class: 'filters' }, filterForm(filters, products, (f) => ((page = 1), Object.assign(filters, f), void refresh()))), h('div', null, summary, h('div', { class: 'actions' }, exportButton, out), list)),
  );

  async function refresh(): Promise<void> {
    replaceRouteQuery('/origin', { ...filters, page: page > 1 ? page : undefined });
    const q = apiQuery(filters);
    try {
      const [c, r] = await Promise.all([completeness(q), listRecords({ ...q, page: String(page), pageSize: String(PAGE_SIZE) })]);
      replace(summary, completenessCard(c));
      replace(list, recordsTable(r.items), pager(page, PAGE_SIZE, r.total, (p) => hashHref('/origin', { ...filters, page: p })));
    } catch (err) {
      replace(list, errorView(err));
    }
  }
  await refresh();
};

const percent = (r: number | null) => (r === null ? '—' : `${Math.round(r * 1000) / 10}%`);

/** 完成情况: collected, approved, returned, pending, in scope, and by product; against the expected count when set. */
export function completenessCard(c: Completeness): HTMLElement {
  const rate = c.collected ? Math.round((c.approved / c.collected) * 1000) / 10 : 0;
  return card(
    t('origin.completeness'),
    h(
      'div',
      { class: 'stat-row' },
      (
        [
          ['collected', c.collected],
          ['approved', c.approved],
          ['pending', c.pending],
          ['returned', c.returned],
          ['inScope', c.inScope],
        ] as const
      ).map(([k, v]) => h('div', { class: 'stat', 'data-testid': `origin-count-${k}` }, h('strong', null, number(v)), h('span', null, t(`origin.count.${k}`)))),
      h('div', { class: 'stat' }, h('strong', null, `${rate}%`), h('span', null, t('origin.count.approvalRate'))),
      // Against the 目标任务 (what the region expects to put on record), when one is set in it.
      ...(c.expected === null
        ? []
        : [
            h('div', { class: 'stat', 'data-testid': 'origin-count-expected' }, h('strong', null, number(c.expected)), h('span', null, t('origin.count.expected'))),
            h('div', { class: 'stat', 'data-testid': 'origin-count-collectedRate' }, h('strong', null, percent(c.collectedRate)), h('span', null, t('origin.count.collectedRate'))),
          ]),
    ),
    h(
      'table',
      { class: 'table compact' },
      h('thead', null, h('tr', null, h('th', null, t('origin.col.product')), h('th', null, t('origin.count.collected')), h('th', null, t('origin.count.approved')), h('th', null, t('origin.count.expected')), h('th', null, t('origin.count.collectedRate')))),
      h(
        'tbody',
        null,
        c.byProduct
          .filter((p) => p.collected > 0 || p.expected !== null)
          .map((p) => h('tr', null, h('td', null, p.name), h('td', null, number(p.collected)), h('td', null, number(p.approved)), h('td', null, p.expected === null ? '—' : number(p.expected)), h('td', null, percent(p.collectedRate)))),
      ),
    ),
  );
}

export function recordsTable(items: OriginRecord[]): HTMLElement {
  if (items.length === 0) return empty(t('origin.none'));
  return h(
    'table',
    { class: 'table' },
    h(
      'thead',
      null,
      h('tr', null, ['producer', 'product', 'address', 'point', 'scale', 'collector', 'state', 'updated'].map((k) => h('th', null, t(`origin.col.${k}` as never)))),
    ),
    h(
      'tbody',
      null,
      items.map((d) =>
        h(
          'tr',
          { 'data-testid': 'origin-row', 'data-id': d._id },
          h('td', null, h('a', { href: `#/origin/records/${encodeURIComponent(d._id)}` }, d.fields.producerName)),
          h('td', null, d.productName),
          h('td', null, `${d.fields.address.countyName} ${d.fields.address.townshipName} ${d.fields.address.villageName}`),
          h('td', { class: 'mono' }, `${d.fields.point.lat}, ${d.fields.point.lon}`),
          h('td', null, `${d.fields.scale.amount} ${d.fields.scale.unit}`, d.inScope ? null : [' ', badge(t('originScope.false'), 'muted')]),
          h('td', null, d.collectorName),
          h('td', null, badge(label('originReview', d.reviewState), reviewTone(d.reviewState))),
          h('td', null, dateTime(d.updatedAt)),
        ),
      ),
    ),
  );
}

export type { OriginQuery };
