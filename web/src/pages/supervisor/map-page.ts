import type { SearchHit } from '../../api/types';
import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { replaceRouteQuery } from '../../app/router';
import { label, t } from '../../i18n/i18n';
import { createBaseMap, L, pin } from '../../map/base-map';
import { markerClusterGroup } from '../../map/cluster';
import { drawFlows } from '../../map/flows';
import { errorView, loading } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { dateTime, groupTraceCode, normaliseTraceCode, number } from '../../ui/format';
import { regionPicker } from '../../ui/region-picker';
import { loadMapHits } from './load-markers';
import { loadLotFlow } from './lot-flow';

/** 监管地图: registered entities and their bases, clustered, filtered by region and product; a lot's flow on top. */
export const mapPage: Page = async (root, route) => {
  setTitle(t('map.title'));
  const state = {
    region: route.query.get('region') ?? '',
    product: route.query.get('product') ?? '',
    kinds: new Set((route.query.get('kind') ?? 'entity,base').split(',').filter(Boolean)),
    flow: route.query.get('flow') ?? '',
  };
  const syncUrl = () => replaceRouteQuery('/supervisor', { region: state.region, product: state.product, kind: [...state.kinds].join(','), flow: state.flow });

  const mapEl = h('div', { class: 'big-map', 'data-testid': 'supervisor-map' });
  const counts = h('p', { class: 'counts', 'data-testid': 'map-counts', 'aria-live': 'polite' });
  const productSelect = h('select', { 'data-testid': 'map-product', 'aria-label': t('filter.product') }, h('option', { value: '' }, t('filter.allProducts')));
  const flowOut = h('div', { class: 'flow-out', 'data-testid': 'flow-out' });
  const flowInput = h('input', { name: 'flow', value: state.flow, placeholder: t('map.flowPlaceholder'), 'data-testid': 'flow-input', autocomplete: 'off' });
  const kindBox = (kind: 'entity' | 'base') =>
    h(
      'label',
      { class: 'check' },
      h('input', {
        type: 'checkbox',
        checked: state.kinds.has(kind),
        onchange: (ev: Event) => {
          if ((ev.target as HTMLInputElement).checked) state.kinds.add(kind);
          else state.kinds.delete(kind);
          void refresh();
        },
      }),
      h('span', { class: `swatch pin-${kind}` }),
      t(`kind.${kind}`),
    );

  replace(
    root,
    h(
      'div',
      { class: 'map-layout' },
      h(
        'aside',
        { class: 'filters' },
        h('h1', null, t('map.title')),
        h('div', { class: 'field' }, h('span', { class: 'field-label' }, t('filter.region')), regionPicker(state.region, (r) => ((state.region = r), void refresh()))),
        h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('filter.product')), productSelect),
        h('div', { class: 'field kinds' }, kindBox('entity'), kindBox('base')),
        counts,
        h(
          'form',
          {
            class: 'flow-form',
            onsubmit: (ev: SubmitEvent) => {
              ev.preventDefault();
              state.flow = normaliseTraceCode(flowInput.value);
              void showFlow();
            },
          },
          h('span', { class: 'field-label' }, t('map.flowTitle')),
          h('div', { class: 'lookup-row' }, flowInput, h('button', { type: 'submit', 'data-testid': 'flow-submit' }, t('map.flowDraw'))),
          h('small', { class: 'muted' }, t('map.flowHint')),
        ),
        flowOut,
      ),
      h('div', { class: 'map-wrap' }, mapEl),
    ),
  );
  productSelect.addEventListener('change', () => {
    state.product = productSelect.value;
    void refresh();
  });

  // The first markers are requested while the cluster plugin's chunk loads, not after it (page load, issue 15).
  const firstKinds = [...state.kinds].join(',');
  const firstHits = firstKinds ? loadMapHits({ region: state.region, product: state.product, kind: firstKinds }) : undefined;
  firstHits?.catch(() => undefined); // refresh() awaits it and shows its error
  const base = createBaseMap(mapEl);
  const cluster = await markerClusterGroup({ maxClusterRadius: 50, showCoverageOnHover: false });
  cluster.addTo(base.map);
  let flowLayer: L.FeatureGroup | null = null;
  let seq = 0;

  async function refresh(prefetched?: ReturnType<typeof loadMapHits>): Promise<void> {
    const mine = ++seq;
    syncUrl();
    counts.replaceChildren(loading());
    try {
      const kind = [...state.kinds].join(',');
      const result = kind ? await (prefetched ?? loadMapHits({ region: state.region, product: state.product, kind })) : { hits: [] as SearchHit[], total: 0, facets: {} };
      if (mine !== seq || !base.alive()) return;
      cluster.clearLayers();
      for (const hit of result.hits) markerFor(hit)?.addTo(cluster);
      const products = result.facets.product ?? [];
      if (products.length || !state.product)
        productSelect.replaceChildren(
          h('option', { value: '' }, t('filter.allProducts')),
          ...products.map((p) => h('option', { value: p.value, selected: p.value === state.product }, `${p.value} (${p.count})`)),
        );
      const n = (k: string) => result.hits.filter((x) => x.kind === k).length;
      counts.replaceChildren(t('map.counts', { entities: number(n('entity')), bases: number(n('base')) }));
      if (result.hits.length && !flowLayer) base.map.fitBounds(L.latLngBounds(result.hits.map((x) => [x.location!.lat, x.location!.lon])), { padding: [30, 30], maxZoom: 9, animate: false });
    } catch (err) {
      counts.replaceChildren(errorView(err));
    }
  }

  async function showFlow(): Promise<void> {
    syncUrl();
    flowLayer?.remove();
    flowLayer = null;
    if (!state.flow) {
      flowOut.replaceChildren();
      return;
    }
    flowOut.replaceChildren(loading());
    try {
      const flow = await loadLotFlow(state.flow);
      if (!base.alive()) return;
      flowLayer = drawFlows(base.map, flow.nodes, flow.edges);
      if (flow.nodes.length) base.map.fitBounds(flowLayer.getBounds(), { padding: [40, 40], maxZoom: 8, animate: false });
      replace(
        flowOut,
        h('p', null, h('strong', null, `${flow.root.product} · `), h('a', { href: `#/lots/${flow.root._id}` }, groupTraceCode(flow.root._id))),
        h(
          'ol',
          { class: 'flow-steps', 'data-testid': 'flow-steps' },
          flow.steps.map((s) =>
            h(
              'li',
              { class: s.kind },
              h('span', null, `${s.fromHolder} → ${s.toHolder}`),
              h('small', { class: 'muted' }, ` ${s.quantity} · ${dateTime(s.at)}${s.kind === 'off-ledger' ? ` · ${t('map.offLedger')}` : ''}`),
            ),
          ),
        ),
        flow.chain.truncated ? h('p', { class: 'muted' }, t('map.truncated')) : null,
      );
    } catch (err) {
      flowOut.replaceChildren(errorView(err));
    }
  }

  await refresh(firstHits);
  if (state.flow) await showFlow();
  return () => base.destroy();
};

function markerFor(hit: SearchHit): L.Marker | null {
  if (!hit.location) return null;
  const p = hit.payload;
  const entityId = String(p.entityId ?? '');
  const popup =
    hit.kind === 'base'
      ? `<strong>${esc(String(p.name ?? hit.title))}</strong><br>${esc(String(p.entityName ?? ''))}<br>${esc(((p.products as string[]) ?? []).join('、'))}${p.areaMu ? ` · ${esc(String(p.areaMu))} ${t('unit.mu')}` : ''}<br><a href="#/entities/${encodeURIComponent(entityId)}">${t('map.openEntity')}</a>`
      : `<strong>${esc(hit.title)}</strong><br>${esc(label('entityType', String(p.entityType ?? hit.type ?? '')))} · ${esc(label('entityStatus', String(p.status ?? '')))}${p.eid ? `<br>${t('entity.eid')} ${esc(String(p.eid))}` : ''}<br><a href="#/entities/${encodeURIComponent(entityId)}">${t('map.openEntity')}</a>`;
  return L.marker([hit.location.lat, hit.location.lon], { icon: pin(hit.kind === 'base' ? 'base' : 'entity'), title: hit.title }).bindPopup(popup);
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
