import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { go } from '../../app/router';
import { session } from '../../app/session';
import { t } from '../../i18n/i18n';
import { card } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { products as loadProducts } from './origin-api';
import { recordForm } from './record-form';
import { originTabs } from './tabs';

/** 采集 by the form (`?lat=&lon=` fill the point, e.g. from the collector's phone). */
export const newRecordPage: Page = async (root, route) => {
  setTitle(t('origin.newTitle'));
  const products = await loadProducts();
  const lat = route.query.get('lat');
  const lon = route.query.get('lon');
  replace(
    root,
    h('h1', null, t('origin.newTitle')),
    originTabs('new', session.identity()?.role),
    card(null, recordForm(products, { ...(lat && lon ? { point: { lat, lon } } : {}), onSaved: (id) => setTimeout(() => go(`#/origin/records/${encodeURIComponent(id)}`), 600) })),
  );
};
