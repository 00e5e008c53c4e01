import { L } from './base-map';

export interface FlowNode {
  id: string;
  lat: number;
  lon: number;
  label: string;
  origin?: boolean;
}

export interface FlowEdge {
  from: string;
  to: string;
  label: string;
}

/**
 * Draws goods moving origin → downstream: one line per hand-over with an arrow head part-way along it,
 * pointing the way the goods went. Edges whose ends have no position (redacted, off-ledger) are skipped.
 */
export function drawFlows(map: L.Map, nodes: FlowNode[], edges: FlowEdge[]): L.FeatureGroup {
  const group = L.featureGroup();
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const e of edges) {
    const a = byId.get(e.from);
    const b = byId.get(e.to);
    if (!a || !b) continue;
    const from = L.latLng(a.lat, a.lon);
    const to = L.latLng(b.lat, b.lon);
    if (from.equals(to)) continue;
    L.polyline([from, to], { color: '#d9480f', weight: 2.5, opacity: 0.85, className: 'flow-line' }).bindTooltip(e.label, { sticky: true }).addTo(group);
    const p = map.project(from, 6);
    const q = map.project(to, 6);
    const angle = (Math.atan2(q.y - p.y, q.x - p.x) * 180) / Math.PI;
    const at = L.latLng(from.lat + (to.lat - from.lat) * 0.6, from.lng + (to.lng - from.lng) * 0.6);
    L.marker(at, {
      interactive: false,
      icon: L.divIcon({ className: 'flow-arrow', html: `<span style="transform: rotate(${angle}deg)">➤</span>`, iconSize: [16, 16], iconAnchor: [8, 8] }),
    }).addTo(group);
  }
  for (const n of nodes) {
    L.circleMarker([n.lat, n.lon], {
      radius: n.origin ? 8 : 6,
      color: n.origin ? '#1a7f5a' : '#d9480f',
      fillColor: n.origin ? '#2fb67c' : '#fff',
      fillOpacity: 1,
      weight: 2,
      className: n.origin ? 'flow-origin' : 'flow-node',
    })
      .bindTooltip(n.label)
      .addTo(group);
  }
  group.addTo(map);
  return group;
}
