import { createBaseMap, provinceBoundaries, type BaseMap } from '../../map/base-map';
import { drawFlows, type FlowEdge, type FlowNode } from '../../map/flows';
import { number } from '../../ui/format';
import type { Flows } from './types';

/**
 * 产品流向 on the Leaflet map: each province → province flow as a line between the provinces' centres (from
 * the bundled boundary layer, or the middle of its largest polygon where the layer has none), labelled with the quantity. Flows inside one province have no line.
 */
export function flowMap(el: HTMLElement, flows: Flows, kgLabel: (kg: string) => string): BaseMap {
  const base = createBaseMap(el);
  void provinceBoundaries().then((geo) => {
    if (!base.alive()) return;
    const centres = new Map<string, [number, number]>();
    for (const f of geo.features) {
      const p = f.properties as { code?: string; center?: [number, number] | null } | null;
      const centre = p?.center ?? mainlandCentre(f.geometry);
      if (p?.code && centre) centres.set(p.code.slice(0, 2), centre);
    }
    const nodes = new Map<string, FlowNode>();
    const edges: FlowEdge[] = [];
    for (const r of flows.rows) {
      const a = centres.get(r.from.slice(0, 2));
      const b = centres.get(r.to.slice(0, 2));
      if (!a || !b || r.from === r.to) continue;
      nodes.set(r.from, { id: r.from, lon: a[0], lat: a[1], label: r.fromName, origin: true });
      if (!nodes.has(r.to)) nodes.set(r.to, { id: r.to, lon: b[0], lat: b[1], label: r.toName });
      edges.push({ from: r.from, to: r.to, label: `${r.fromName} → ${r.toName}: ${kgLabel(number(r.kg))}` });
    }
    drawFlows(base.map, [...nodes.values()], edges);
  });
  return base;
}

/** [lon, lat] of the middle of a province's largest polygon (not of its islands: Hainan's bbox would reach the South China Sea). */
function mainlandCentre(geometry: GeoJSON.Geometry | null): [number, number] | null {
  if (!geometry) return null;
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
  let best: { area: number; centre: [number, number] } | null = null;
  for (const polygon of polygons) {
    const ring = polygon[0] ?? [];
    if (ring.length === 0) continue;
    const lons = ring.map((c) => c[0]!);
    const lats = ring.map((c) => c[1]!);
    const [w, e, s, n] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
    const area = (e - w) * (n - s);
    if (!best || area > best.area) best = { area, centre: [(w + e) / 2, (s + n) / 2] };
  }
  return best?.centre ?? null;
}
