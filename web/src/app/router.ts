/**
 * Two kinds of address: `/t/{traceCode}` (what a label's QR opens; the server answers it with this app) and
 * hash routes `/#/supervisor/search?q=…` for everything else, so any page can be reloaded or shared without
 * server-side routes.
 */
export interface Route {
  /** e.g. ['supervisor', 'search'] or ['t', '{code}'] */
  parts: string[];
  query: URLSearchParams;
}

export function currentRoute(): Route {
  if (location.pathname.startsWith('/t/'))
    return { parts: ['t', decodeURIComponent(location.pathname.slice(3).replace(/\/+$/, ''))], query: new URLSearchParams(location.search) };
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, qs] = hash.split('?', 2) as [string, string | undefined];
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(qs ?? '') };
}

const listeners = new Set<() => void>();
export function onRouteChange(listener: () => void): void {
  listeners.add(listener);
  window.addEventListener('hashchange', listener);
  window.addEventListener('popstate', listener);
}

/** Go to `#/…` (an app page) or `/t/{code}` (a consumer lookup) without reloading. */
export function go(href: string): void {
  if (href.startsWith('#')) {
    if (location.pathname !== '/') history.pushState(null, '', `/${href}`);
    else if (location.hash !== href) {
      location.hash = href;
      return; // hashchange renders
    }
  } else history.pushState(null, '', href);
  for (const l of listeners) l();
}

/** A hash route with a query string, leaving out empty values. */
export function hashHref(path: string, query: Record<string, string | number | undefined | null> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return `#${path}${s ? `?${s}` : ''}`;
}

/**
 * Rewrites the address bar with a page's own state (filters, as-of time) without a new history entry — only
 * while that page's route is still the one shown. A page that was left while it was still loading must not
 * pull the address back to itself (a reload would then open the page the user left).
 */
export function replaceRouteQuery(path: string, query: Record<string, string | number | undefined | null>): void {
  if (location.pathname !== '/' || `/${currentRoute().parts.join('/')}` !== path) return;
  history.replaceState(null, '', `/${hashHref(path, query)}`);
}
