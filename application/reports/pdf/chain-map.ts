import type { ChainSynthesis } from '../chain-synthesis';

/**
 * The report's map image (链条 GIS 展示), drawn as PDF vectors: province outlines (simplified, from the web app's
 * china-provinces.json), affected provinces shaded, and one line per province-to-province flow whose width
 * grows with the quantity moved. Without outlines it still draws the flows between the province centres it
 * knows, on a blank frame.
 */
export interface ProvinceOutline {
  /** 2-digit province prefix. */
  code: string;
  name: string;
  center: [number, number];
  /** Rings of [lon, lat]. */
  rings: [number, number][][];
}

/** Reads the web app's FeatureCollection (properties.code, .name, .center; Polygon / MultiPolygon). */
export function outlinesFromGeoJson(geo: { features: { properties: { code: string; name: string; center?: [number, number] | null }; geometry: { type: string; coordinates: unknown } }[] }): ProvinceOutline[] {
  return geo.features.map((f) => {
    const g = f.geometry;
    const polygons = (g.type === 'MultiPolygon' ? g.coordinates : [g.coordinates]) as [number, number][][][];
    const rings = polygons.flat();
    return { code: String(f.properties.code).slice(0, 2), name: f.properties.name, center: f.properties.center ?? centreOf(rings), rings };
  });
}

/** Most provinces carry no centre in the file: the mean vertex of the largest ring stands in (good enough to anchor a flow line). */
function centreOf(rings: [number, number][][]): [number, number] {
  const largest = rings.reduce((a, b) => (b.length > a.length ? b : a), [] as [number, number][]);
  if (largest.length === 0) return [0, 0];
  const sum = largest.reduce((acc, [lon, lat]) => [acc[0] + lon, acc[1] + lat] as [number, number], [0, 0] as [number, number]);
  return [sum[0] / largest.length, sum[1] / largest.length];
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const LON: [number, number] = [73, 136];
const LAT: [number, number] = [17, 54];

export function drawChainMap(doc: PDFKit.PDFDocument, s: ChainSynthesis, provinces: ProvinceOutline[], box: Box): void {
  const scale = Math.min(box.width / (LON[1] - LON[0]), box.height / (LAT[1] - LAT[0]));
  const ox = box.x + (box.width - scale * (LON[1] - LON[0])) / 2;
  const oy = box.y + (box.height - scale * (LAT[1] - LAT[0])) / 2;
  const px = (lon: number, lat: number): [number, number] => [ox + (lon - LON[0]) * scale, oy + (LAT[1] - lat) * scale];

  const affected = new Set(s.regionsTouched.map((r) => r.slice(0, 2)));
  const byCode = new Map(provinces.map((p) => [p.code, p]));
  doc.save();
  doc.rect(box.x, box.y, box.width, box.height).lineWidth(0.5).strokeColor('#999').stroke();
  for (const p of provinces) {
    for (const ring of p.rings) {
      if (ring.length < 3) continue;
      const [x0, y0] = px(ring[0]![0], ring[0]![1]);
      doc.moveTo(x0, y0);
      for (let i = 1; i < ring.length; i++) doc.lineTo(...px(ring[i]![0], ring[i]![1]));
      doc.closePath();
    }
    doc.lineWidth(0.3).fillColor(affected.has(p.code) ? '#f4b6b6' : '#f5f5f5').strokeColor('#bbb').fillAndStroke();
  }

  // Flows aggregated by province pair.
  const regionOf = new Map(s.nodes.map((n) => [n.traceCode, n.holder.regionCode.slice(0, 2)]));
  const flows = new Map<string, number>();
  for (const e of s.edges) {
    const from = regionOf.get(e.from);
    const to = e.to ? regionOf.get(e.to) : e.toRegion?.slice(0, 2);
    if (!from || !to || from === to) continue;
    flows.set(`${from}>${to}`, (flows.get(`${from}>${to}`) ?? 0) + e.quantity);
  }
  const max = Math.max(1, ...flows.values());
  for (const [key, qty] of flows) {
    const [a, b] = key.split('>') as [string, string];
    const pa = byCode.get(a);
    const pb = byCode.get(b);
    if (!pa || !pb) continue;
    const [x1, y1] = px(...pa.center);
    const [x2, y2] = px(...pb.center);
    // A gentle arc, so flows in both directions between two provinces stay apart.
    const cx = (x1 + x2) / 2 - (y2 - y1) * 0.2;
    const cy = (y1 + y2) / 2 + (x2 - x1) * 0.2;
    doc.moveTo(x1, y1).quadraticCurveTo(cx, cy, x2, y2).lineWidth(0.6 + (3 * qty) / max).strokeColor('#c62828').strokeOpacity(0.7).stroke();
    doc.circle(x2, y2, 1.8).fillColor('#c62828').fill();
  }
  doc.strokeOpacity(1);

  for (const n of s.nodes.filter((x) => x.isOrigin && x.base)) {
    const [x, y] = px(n.base!.lon, n.base!.lat);
    doc.circle(x, y, 3.5).fillColor('#1b5e20').fill();
  }
  doc.fontSize(6).fillColor('#333');
  for (const code of affected) {
    const p = byCode.get(code);
    if (!p) continue;
    const [x, y] = px(...p.center);
    doc.text(p.name, x + 2, y - 8, { lineBreak: false });
  }
  doc.fontSize(7).fillColor('#555').text('● 源头基地   — 主体间流向（线宽示数量）   ■ 涉及省份', box.x + 4, box.y + box.height - 11, { lineBreak: false });
  doc.restore();
  doc.fillColor('black');
}
