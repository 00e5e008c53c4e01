/** Installation settings from GET /api/v1/config (see infrastructure/http/web-config). */
export interface WebConfig {
  authMode: 'tokens' | 'dev-headers';
  publicUrl: string;
  tiles: { url: string; attribution: string; maxZoom: number } | null;
}

let loaded: WebConfig | null = null;

export async function loadConfig(): Promise<WebConfig> {
  if (loaded) return loaded;
  try {
    const res = await fetch('/api/v1/config', { headers: { Accept: 'application/json' } });
    if (!res.ok) throw new Error(String(res.status));
    loaded = (await res.json()) as WebConfig;
  } catch {
    // An older API without the endpoint: sign in with tokens, no tiles.
    loaded = { authMode: 'tokens', publicUrl: location.origin, tiles: null };
  }
  return loaded;
}

export function config(): WebConfig {
  if (!loaded) throw new Error('config not loaded yet');
  return loaded;
}
