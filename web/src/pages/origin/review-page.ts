import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { session } from '../../app/session';
import { t } from '../../i18n/i18n';
import { card, empty, errorView, loading } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { dateTime } from '../../ui/format';
import { listRecords, type OriginRecord } from './origin-api';
import { reviewActions } from './review-actions';
import { originTabs } from './tabs';

/** 审核队列 (county): records waiting for review, oldest first on screen, each with approve / return. */
export const reviewPage: Page = async (root) => {
  setTitle(t('origin.reviewTitle'));
  const list = h('div', { 'data-testid': 'origin-review-queue' }, loading());
  const returned = h('div', { 'data-testid': 'origin-returned-list' });
  replace(root, h('h1', null, t('origin.reviewTitle')), originTabs('review', session.identity()?.role), list, card(t('origin.returnedTitle'), returned));

  async function refresh(): Promise<void> {
    try {
      const [pending, back] = await Promise.all([listRecords({ reviewState: 'pending', pageSize: '100' }), listRecords({ reviewState: 'returned', pageSize: '100' })]);
      replace(list, pending.items.length ? pending.items.reverse().map((d) => item(d, true)) : empty(t('origin.reviewEmpty')));
      replace(returned, back.items.length ? back.items.map((d) => item(d, false)) : empty(t('origin.none')));
    } catch (err) {
      replace(list, errorView(err));
    }
  }
  const item = (d: OriginRecord, actions: boolean) =>
    h(
      'section',
      { class: 'card review-item', 'data-testid': actions ? 'origin-review-item' : 'origin-returned-item', 'data-id': d._id },
      // Waiting records stand under the page's h1; returned ones inside their card's h2 (heading order, a11y).
      h(actions ? 'h2' : 'h3', null, h('a', { href: `#/origin/records/${encodeURIComponent(d._id)}` }, d.fields.producerName), ` · ${d.productName}`),
      h('p', { class: 'muted' }, `${d.fields.address.townshipName} ${d.fields.address.villageName} · ${d.fields.point.lat}, ${d.fields.point.lon} · ${d.fields.scale.amount} ${d.fields.scale.unit} · ${d.collectorName} · ${dateTime(d.updatedAt)}`),
      !actions && d.returnReason ? h('p', null, `${t('origin.returnReason')}：${d.returnReason}`) : null,
      actions ? reviewActions(d._id, () => void refresh()) : null,
    );
  await refresh();
};
