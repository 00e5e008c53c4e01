import type { Entity } from '../../api/types';
import { hashHref } from '../../app/router';
import { label, t } from '../../i18n/i18n';
import { empty, errorView } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { date, groupTraceCode, quantity } from '../../ui/format';
import { labelButton } from './label-button';
import { myLots } from './my-lots';

export async function lotsTab(panel: HTMLElement, entity: Entity): Promise<void> {
  try {
    const lots = await myLots(entity);
    replace(
      panel,
      lots.length
        ? h(
            'table',
            { class: 'table', 'data-testid': 'my-lots' },
            h('thead', null, h('tr', null, [t('lot.code'), t('lot.product'), t('lot.available'), t('lot.produced'), t('lot.status'), ''].map((c) => h('th', null, c || h('span', { class: 'visually-hidden' }, t('common.actions')))))),
            h(
              'tbody',
              null,
              lots.map((l) =>
                h(
                  'tr',
                  { 'data-code': l._id },
                  h('td', null, h('a', { href: `/t/${l._id}`, class: 'code small' }, groupTraceCode(l._id))),
                  h('td', null, l.product),
                  h('td', null, `${quantity({ amount: l.available, unit: l.unit })} / ${quantity(l.quantity)}`),
                  h('td', null, date(l.productionDate)),
                  h('td', null, label('lotStatus', l.status)),
                  h(
                    'td',
                    { class: 'actions' },
                    labelButton(l._id),
                    l.available > 0 ? h('a', { href: hashHref('/producer', { tab: 'ship', lot: l._id }) }, t('producer.ship')) : null,
                    l.available > 0 ? h('a', { href: hashHref('/producer', { tab: 'market', lot: l._id }) }, t('producer.marketEntry')) : null,
                  ),
                ),
              ),
            ),
          )
        : empty(t('producer.noLots')),
    );
  } catch (err) {
    replace(panel, errorView(err));
  }
}
