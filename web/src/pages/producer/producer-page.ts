import { get } from '../../api/client';
import type { Entity } from '../../api/types';
import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { hashHref } from '../../app/router';
import { session } from '../../app/session';
import { label, t, type Key } from '../../i18n/i18n';
import { badge, card, errorView } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { createLotTab } from './create-lot-tab';
import { inboxTab } from './inbox-tab';
import { lotsTab } from './lots-tab';
import { marketEntryTab } from './market-entry-tab';
import { recallTab } from './recall-tab';
import { shipTab } from './ship-tab';

const TABS: [id: string, key: Key][] = [
  ['lots', 'producer.tabLots'],
  ['create', 'producer.tabCreate'],
  ['ship', 'producer.tabShip'],
  ['inbox', 'producer.tabInbox'],
  ['market', 'producer.tabMarket'],
  ['recall', 'producer.tabRecall'],
];

/** 生产经营主体: my lots and labels, new lots, shipments by e-ID, incoming goods to confirm, market-entry certificates, recall notices. */
export const producerPage: Page = async (root, route) => {
  setTitle(t('producer.title'));
  const who = session.identity();
  if (!who || who.role !== 'producer') {
    replace(
      root,
      card(
        t('producer.title'),
        h('p', null, t('producer.signInLead')),
        h('p', { class: 'row' }, h('a', { class: 'button', href: `#/login?next=${encodeURIComponent('#/producer')}` }, t('nav.signIn')), h('a', { class: 'button secondary', href: '#/producer/register' }, t('register.title'))),
      ),
    );
    return;
  }
  let entity: Entity;
  try {
    entity = await get<Entity>(`/api/v1/entities/${encodeURIComponent(who.orgId)}`);
  } catch (err) {
    replace(root, errorView(err));
    return;
  }
  const tab = TABS.some(([id]) => id === route.query.get('tab')) ? route.query.get('tab')! : 'lots';
  const panel = h('div', { class: 'tab-panel', 'data-testid': `producer-${tab}` });
  replace(
    root,
    h(
      'header',
      { class: 'page-head' },
      h('h1', { 'data-testid': 'producer-name' }, entity.name),
      h('p', null, badge(label('entityStatus', entity.status), entity.status === 'approved' ? 'ok' : 'warn'), ' ', t('entity.eid'), ' ', h('span', { class: 'code', 'data-testid': 'producer-eid' }, entity.eid ?? '—')),
    ),
    h(
      'nav',
      { class: 'tabs' },
      TABS.map(([id, key]) => h('a', { href: hashHref('/producer', { tab: id }), class: id === tab ? 'active' : null, 'data-testid': `tab-${id}` }, t(key))),
    ),
    panel,
  );
  const query = route.query;
  switch (tab) {
    case 'create':
      return createLotTab(panel, entity);
    case 'ship':
      return shipTab(panel, entity, query.get('lot') ?? '');
    case 'inbox':
      return inboxTab(panel, entity);
    case 'market':
      return marketEntryTab(panel, entity, query.get('lot') ?? '');
    case 'recall':
      return recallTab(panel, entity);
    default:
      return lotsTab(panel, entity);
  }
};
