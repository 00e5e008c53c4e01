import 'leaflet.markercluster/dist/MarkerCluster.css';
import 'leaflet.markercluster/dist/MarkerCluster.Default.css';
import * as Leaflet from 'leaflet';

type ClusterFactory = (options?: Record<string, unknown>) => Leaflet.FeatureGroup;
let factory: Promise<ClusterFactory> | null = null;

/**
 * leaflet.markercluster is a UMD plugin that extends a global `L`; the ES build of Leaflet has a frozen
 * namespace, so the plugin gets a mutable copy (the classes are shared, so its prototype patches apply).
 */
export function markerClusterGroup(options?: Record<string, unknown>): Promise<Leaflet.FeatureGroup> {
  factory ??= (async () => {
    const L = { ...Leaflet } as Record<string, unknown>;
    (globalThis as { L?: unknown }).L = L;
    await import('leaflet.markercluster');
    return L.markerClusterGroup as ClusterFactory;
  })();
  return factory.then((make) => make(options));
}
