import { ApiError } from '../api/errors';

/**
 * Who the app acts as. Two ways in, chosen by the API's AUTH mode (GET /api/v1/config):
 * - `tokens`: sign in with username and password → a Bearer token (kept in sessionStorage: gone with the tab);
 * - `dev-headers` (development only): "act as" a role/org/region, sent as X-Role / X-Org-Id / X-User-Id / X-Region.
 * Pages only ever ask `session.identity()` and `session.authHeaders()`.
 */
export type Role =
  | 'ministry-admin' | 'province-admin' | 'city-admin' | 'county-admin' | 'township-admin'
  | 'supervisor' | 'inspector' | 'lab' | 'enforcement' | 'producer' | 'consumer' | 'auditor' | 'system';

export interface Identity {
  userId: string;
  /** For producers: their entity id. */
  orgId: string;
  role: Role;
  /** GB/T 2260 prefix of the account's scope ('' = national). */
  regionCode: string;
  displayName: string;
}

interface Stored {
  kind: 'token' | 'dev';
  token?: string;
  expiresAt?: string;
  identity: Identity;
  /** The password was chosen by someone else (initial, reset): the token opens only the password change. */
  mustChangePassword?: boolean;
}

const TOKEN_KEY = 'suyuan.session';
const DEV_KEY = 'suyuan.devIdentity';
const listeners = new Set<() => void>();

function read(): Stored | null {
  try {
    const raw = sessionStorage.getItem(TOKEN_KEY) ?? localStorage.getItem(DEV_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Stored;
    if (s.kind === 'token' && s.expiresAt && Date.parse(s.expiresAt) <= Date.now()) return null;
    return s;
  } catch {
    return null;
  }
}

function changed(): void {
  for (const l of listeners) l();
}

/*
 * The sign-in survives a new tab (issue 15) while staying in sessionStorage, so it is still gone once the last tab
 * of the browser is closed (a shared office computer). A new tab has an empty sessionStorage (links open without
 * an opener), so it asks the other tabs of this origin over a BroadcastChannel; one that holds a token session
 * answers with it. Signing out in one tab signs out the tabs holding the same token.
 */
type TabMessage = { type: 'who' } | { type: 'session'; stored: Stored } | { type: 'signed-out'; token: string };
const channel: BroadcastChannel | null = typeof BroadcastChannel === 'function' ? new BroadcastChannel('suyuan.session') : null;
/** Until when this tab accepts a session from another tab (it asked, and has none yet). */
let askingUntil = 0;
let answered: (() => void) | null = null;

channel?.addEventListener('message', (e: MessageEvent<TabMessage>) => {
  const msg = e.data;
  const mine = read();
  if (msg.type === 'who') {
    if (mine?.kind === 'token' && !mine.mustChangePassword) channel.postMessage({ type: 'session', stored: mine } satisfies TabMessage);
  } else if (msg.type === 'session') {
    if (mine || Date.now() > askingUntil || msg.stored.kind !== 'token') return;
    if (msg.stored.expiresAt && Date.parse(msg.stored.expiresAt) <= Date.now()) return;
    askingUntil = 0;
    sessionStorage.setItem(TOKEN_KEY, JSON.stringify(msg.stored));
    localStorage.removeItem(DEV_KEY);
    if (answered) answered();
    else changed(); // a late answer: the page was drawn signed out, draw it again
  } else if (msg.type === 'signed-out') {
    if (mine?.kind === 'token' && mine.token === msg.token) {
      sessionStorage.removeItem(TOKEN_KEY);
      changed();
    }
  }
});

export const session = {
  identity(): Identity | null {
    return read()?.identity ?? null;
  },

  authHeaders(): Record<string, string> {
    const s = read();
    if (!s) return {};
    if (s.kind === 'token') return { Authorization: `Bearer ${s.token}` };
    const i = s.identity;
    return { 'X-Role': i.role, 'X-Org-Id': i.orgId, 'X-User-Id': i.userId, ...(i.regionCode ? { 'X-Region': i.regionCode } : {}) };
  },

  async signIn(username: string, password: string): Promise<Identity> {
    const res = await fetch('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      throw new ApiError(res.status, body.error ?? `HTTP_${res.status}`, body.message ?? res.statusText, body.details ?? {});
    }
    const identity = storeToken(body);
    localStorage.removeItem(DEV_KEY);
    // A token that must change its password opens nothing else yet: the page stays on the change form (a re-render
    // now would draw that form into a detached container); the change itself announces the new session.
    if (!body.account?.mustChangePassword) changed();
    return identity;
  },

  /** Whether the signed-in account must change its password before anything else (API: PASSWORD_CHANGE_REQUIRED). */
  mustChangePassword(): boolean {
    return read()?.mustChangePassword === true;
  },

  /** Changes the password; the answer carries a new token (every earlier one is revoked), kept in place of the old. */
  async changePassword(currentPassword: string, newPassword: string): Promise<Identity> {
    const res = await fetch('/api/v1/auth/password', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...session.authHeaders() },
      body: JSON.stringify({ currentPassword, newPassword }),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new ApiError(res.status, body.error ?? `HTTP_${res.status}`, body.message ?? res.statusText, body.details ?? {});
    const identity = storeToken(body);
    changed();
    return identity;
  },

  actAs(identity: Identity): void {
    sessionStorage.removeItem(TOKEN_KEY);
    localStorage.setItem(DEV_KEY, JSON.stringify({ kind: 'dev', identity } satisfies Stored));
    changed();
  },

  /**
   * A tab without a session asks the browser's other tabs for theirs and waits up to `waitMs` for an answer
   * (an answer after that still signs the tab in, and re-renders it). Resolves at once when there is a session.
   */
  join(waitMs: number): Promise<void> {
    // A reload keeps the tab's sessionStorage: no session after a reload means this tab signed out, nothing to ask.
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    if (!channel || read() || navigation?.type === 'reload') return Promise.resolve();
    askingUntil = Date.now() + Math.max(waitMs, 3000);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        answered = null;
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      answered = done;
      channel.postMessage({ type: 'who' } satisfies TabMessage);
    });
  },

  signOut(): void {
    const s = read();
    if (s?.kind === 'token' && s.token) channel?.postMessage({ type: 'signed-out', token: s.token } satisfies TabMessage);
    sessionStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(DEV_KEY);
    changed();
  },

  /** The API said 401: a token session is over (a dev identity has no expiry). */
  expire(): void {
    if (read()?.kind === 'token') session.signOut();
  },

  onChange(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

/** Keeps a token answer (sign-in or password change: `{token, expiresAt, account}`) as the session. */
function storeToken(body: { token: string; expiresAt: string; account: { accountId: string; displayName: string; role: Role; orgId: string; regionCode: string; mustChangePassword?: boolean } }): Identity {
  const a = body.account;
  const identity: Identity = { userId: a.accountId, orgId: a.orgId, role: a.role, regionCode: a.regionCode, displayName: a.displayName };
  const stored: Stored = { kind: 'token', token: body.token, expiresAt: body.expiresAt, identity, ...(a.mustChangePassword ? { mustChangePassword: true } : {}) };
  sessionStorage.setItem(TOKEN_KEY, JSON.stringify(stored));
  return identity;
}

/** Where a role starts after signing in. */
export function homeOf(role: Role): string {
  if (role === 'producer') return '#/producer';
  if (role === 'auditor') return '#/audit';
  if (role === 'lab') return '#/lab';
  if (role === 'enforcement') return '#/cases';
  return '#/supervisor';
}
