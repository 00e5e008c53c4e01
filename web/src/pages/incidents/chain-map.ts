import { get } from '../../api/client';
import type { ChainNodeView, Entity, IncidentChain } from '../../api/types';
import { t } from '../../i18n/i18n';
import { h, replace } from '../../ui/dom';
import { number } from '../../ui/format';
import type { FlowNode } from '../../map/flows';
import type { Layer } from 'leaflet';

interface ProvinceFeature extends GeoJSON.Feature {
  properties: { code: string; name: string; center: [number, number] | null };
}

/**
 * 链条 GIS 展示: the incident's chain on the base map — the provinces the chain touches shaded, each holder
 * at its first registered base (the origin at the base it was produced on), and a flow line per hand-over
 * in the direction the goods went. Redacted holders are left off, not guessed.
 */
export async function incidentMap(el: HTMLElement, legend: HTMLElement): Promise<{ draw(chain: IncidentChain): Promise<void>; destroy(): void }> {
  const [{ createBaseMap, provinceBoundaries, L }, { drawFlows }] = await Promise.all([import('../../map/base-map'), import('../../map/flows')]);
  const m = createBaseMap(el);
  const positions = new Map<string, { lat: number; lon: number } | null>();
  let layers: Layer[] = [];

  const positionOf = async (n: ChainNodeView): Promise<{ lat: number; lon: number } | null> => {
    if (n.isOrigin && n.base) return n.base;
    if (!positions.has(n.holder.entityId)) {
      const entity = await get<Entity>(`/api/v1/entities/${encodeURIComponent(n.holder.entityId)}`).catch(() => null);
      positions.set(n.holder.entityId, entity?.bases[0] ?? null);
    }
    return positions.get(n.holder.entityId) ?? null;
  };

  return {
    async draw(chain) {
      const provinces = [...new Set(chain.regionsTouched.map((c) => c.slice(0, 2)))];
      const visible = chain.nodes.filter((n): n is ChainNodeView => !('redacted' in n));
      const [geo, placed] = await Promise.all([provinceBoundaries().catch(() => null), Promise.all(visible.map(async (n) => [n, await positionOf(n)] as const))]);
      if (!m.alive()) return;
      for (const l of layers) l.remove();
      layers = [];
      await m.ready;
      if (geo) {
        const shaded = L.geoJSON(geo, {
          filter: (f) => provinces.includes((f as ProvinceFeature).properties.code),
          interactive: false,
          style: () => ({ color: '#c92a2a', weight: 1.5, fillColor: '#fa5252', fillOpacity: 0.28, className: 'affected-region' }),
        }).addTo(m.map);
        layers.push(shaded);
      }
      const nodes: FlowNode[] = [];
      for (const [n, at] of placed) if (at) nodes.push({ id: n.traceCode, lat: at.lat, lon: at.lon, label: `${n.holder.name} · ${number(n.quantities.remaining)} / ${number(n.quantities.received)}`, origin: n.isOrigin });
      const edges = chain.edges
        .filter((e) => e.kind === 'transfer' && e.to && !e.redacted)
        .map((e) => ({ from: e.from, to: e.to!, label: e.quantity !== undefined ? `${number(e.quantity)} ${e.unit ?? ''}` : '' }));
      const flows = drawFlows(m.map, nodes, edges);
      layers.push(flows);
      if (nodes.length) m.map.fitBounds(flows.getBounds(), { padding: [30, 30], maxZoom: 7, animate: false });
      replace(
        legend,
        h('span', { class: 'swatch affected' }),
        ' ',
        t('incident.mapLegend', { provinces: provinces.length, counties: chain.regionsTouched.length, holders: nodes.length }),
        chain.redactedCount ? h('span', { class: 'muted' }, ` · ${t('incident.mapRedacted', { count: chain.redactedCount })}`) : null,
      );
    },
    destroy: () => m.destroy(),
  };
}
