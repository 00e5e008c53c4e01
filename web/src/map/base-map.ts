import 'leaflet/dist/leaflet.css';
import * as L from 'leaflet';
import { config } from '../app/config';
import { t } from '../i18n/i18n';

export { L };

interface ProvinceFeature {
  properties: { code: string; name: string; center: [number, number] | null };
}

let boundaries: Promise<GeoJSON.FeatureCollection> | null = null;

/** The bundled, simplified province boundaries (web/build/province-boundaries.ts): the map without internet. */
export function provinceBoundaries(): Promise<GeoJSON.FeatureCollection> {
  boundaries ??= fetch('/geo/china-provinces.json').then((r) => {
    if (!r.ok) throw new Error(`boundary layer: HTTP ${r.status}`);
    return r.json() as Promise<GeoJSON.FeatureCollection>;
  });
  return boundaries;
}

export interface BaseMap {
  map: L.Map;
  /** Resolves when the boundary layer is drawn. */
  ready: Promise<L.GeoJSON | null>;
  /** False once the page left: late async work (a slow fetch) must not touch a removed map. */
  alive(): boolean;
  destroy(): void;
}

/**
 * A Leaflet map over China: the configured tile server if there is one (TILE_URL), and always the bundled
 * province boundaries, so the map is readable on a network with no tile server at all.
 */
/** `boundaryNote` replaces the province layer's attribution (its source and licence) for pages shoppers read. */
export function createBaseMap(el: HTMLElement, options: { highlightProvince?: string; center?: L.LatLngExpression; zoom?: number; boundaryNote?: string } = {}): BaseMap {
  const tiles = config().tiles;
  el.classList.add('map', tiles ? 'with-tiles' : 'no-tiles');
  const map = L.map(el, { minZoom: 3, maxZoom: tiles?.maxZoom ?? 14, worldCopyJump: false, zoomSnap: 0.5 }).setView(options.center ?? [34.5, 104], options.zoom ?? 4);
  map.attributionControl.setPrefix(false);
  if (tiles) L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: tiles.maxZoom }).addTo(map);
  map.attributionControl.addAttribution(options.boundaryNote ?? t('map.boundaryAttribution'));

  let alive = true;
  const ready = provinceBoundaries()
    .then((data) => {
      if (!alive) return null;
      const layer = L.geoJSON(data, {
        interactive: true,
        style: (f) => {
          const highlighted = (f as unknown as ProvinceFeature | undefined)?.properties.code === options.highlightProvince;
          return {
            color: highlighted ? '#1a7f5a' : '#8aa39a',
            weight: highlighted ? 2 : 0.8,
            fillColor: highlighted ? '#cfe9dc' : '#f4f1e8',
            fillOpacity: tiles ? (highlighted ? 0.35 : 0.05) : 1,
          };
        },
        onEachFeature: (f, l) => l.bindTooltip((f as unknown as ProvinceFeature).properties.name, { sticky: true, direction: 'top', className: 'province-tip' }),
      });
      layer.addTo(map);
      layer.bringToBack();
      // Chromium makes every outline with a focus listener (the tooltip's) a tab stop: 34 provinces before the
      // page's own controls. The names stay on hover; keyboard users move the map itself (its container).
      layer.eachLayer((province) => (province as L.Path).getElement()?.setAttribute('tabindex', '-1'));
      return layer;
    })
    .catch(() => null);

  // The container may have been laid out after creation (tabs, late CSS): measure again once.
  requestAnimationFrame(() => alive && map.invalidateSize());
  return {
    map,
    ready,
    alive: () => alive,
    destroy: () => {
      alive = false;
      map.stop();
      map.remove();
    },
  };
}

export type PinKind = 'entity' | 'base' | 'origin' | 'holder' | 'lot';

export function pin(kind: PinKind, label?: string): L.DivIcon {
  return L.divIcon({
    className: `pin pin-${kind}`,
    html: label ? `<span>${label.replace(/[<>&"']/g, '')}</span>` : '',
    iconSize: kind === 'origin' ? [22, 22] : [16, 16],
    iconAnchor: kind === 'origin' ? [11, 11] : [8, 8],
  });
}
