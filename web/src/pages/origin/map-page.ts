import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { replaceRouteQuery } from '../../app/router';
import { session } from '../../app/session';
import { label, t } from '../../i18n/i18n';
import { createBaseMap, L, pin } from '../../map/base-map';
import { markerClusterGroup } from '../../map/cluster';
import { errorView, loading } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { number } from '../../ui/format';
import { apiQuery, filterForm, filtersFrom } from './filters';
import { points, products as loadProducts, type KeyProduct, type OriginPoint } from './origin-api';
import { recordDialog } from './record-form';
import { collectsOrigin } from './roles';
import { originTabs } from './tabs';

/**
 * 一张图: the records of the filters as points, clustered, each with its product's symbol (the product's first
 * character). 直接标注: a collector clicks the map and fills the record in a dialog with the point filled in.
 */
export const originMapPage: Page = async (root, route) => {
  setTitle(t('origin.mapTitle'));
  const role = session.identity()?.role;
  const filters = filtersFrom(route.query);
  const products = await loadProducts();
  const mapEl = h('div', { class: 'big-map', 'data-testid': 'origin-map' });
  const counts = h('p', { class: 'counts', 'data-testid': 'origin-map-counts', 'aria-live': 'polite' });
  const dialogHost = h('div');
  replace(
    root,
    originTabs('map', role),
    h(
      'div',
      { class: 'map-layout' },
      h('aside', { class: 'filters' }, h('h1', null, t('origin.mapTitle')), filterForm(filters, products, (f) => (Object.assign(filters, f), void refresh())), counts, collectsOrigin(role) ? h('p', { class: 'muted' }, t('origin.placeHint')) : null),
      h('div', { class: 'map-wrap' }, mapEl, dialogHost),
    ),
  );
  const base = createBaseMap(mapEl);
  const cluster = await markerClusterGroup({ maxClusterRadius: 50, showCoverageOnHover: false });
  cluster.addTo(base.map);
  if (collectsOrigin(role)) {
    base.map.on('click', (ev: L.LeafletMouseEvent) => {
      // The point as clicked, with 7 decimals (附件1 asks for at least 6).
      const point = { lat: ev.latlng.lat.toFixed(7), lon: ev.latlng.lng.toFixed(7) };
      replace(dialogHost, recordDialog(products, point, () => (dialogHost.replaceChildren(), void refresh())));
    });
  }
  let seq = 0;
  let fitted = false;

  async function refresh(): Promise<void> {
    const mine = ++seq;
    replaceRouteQuery('/origin/map', filters);
    counts.replaceChildren(loading());
    try {
      const r = await points(apiQuery(filters));
      if (mine !== seq || !base.alive()) return;
      cluster.clearLayers();
      for (const p of r.items) markerFor(p, products).addTo(cluster);
      counts.replaceChildren(t('origin.mapCounts', { n: number(r.items.length) }), r.truncated ? ` · ${t('origin.truncated')}` : '');
      if (r.items.length && !fitted) {
        fitted = true;
        base.map.fitBounds(L.latLngBounds(r.items.map((p) => [Number(p.lat), Number(p.lon)])), { padding: [30, 30], maxZoom: 9, animate: false });
      }
    } catch (err) {
      counts.replaceChildren(errorView(err));
    }
  }
  await refresh();
  return () => base.destroy();
};

function markerFor(p: OriginPoint, products: KeyProduct[]): L.Marker {
  const name = products.find((x) => x.code === p.product)?.name ?? p.product;
  const popup = `<strong>${esc(name)}</strong> · ${esc(label('originReview', p.reviewState))}<br><span class="mono">${esc(p.lat)}, ${esc(p.lon)}</span><br><a href="#/origin/records/${encodeURIComponent(p.id)}">${esc(t('origin.open'))}</a>`;
  return L.marker([Number(p.lat), Number(p.lon)], { icon: pin('origin', name.slice(0, 1)), title: name }).bindPopup(popup);
}
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
