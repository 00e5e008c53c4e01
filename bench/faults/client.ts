/** The harness's HTTP calls: JSON in and out, a network error (the server was killed) thrown to the caller. */
export interface Answer {
  status: number;
  body: any; // answers of many routes, checked field by field
}

/** The provincial platform's identity (dev headers): it may send batches, faults and seals. */
export const PLATFORM = { 'X-Role': 'system', 'X-Org-Id': 'platform', 'X-User-Id': 'faults-platform' };
export const producer = (entityId: string) => ({ 'X-Role': 'producer', 'X-Org-Id': entityId, 'X-User-Id': `u-${entityId}` });
export const county = (region: string) => ({ 'X-Role': 'county-admin', 'X-Org-Id': `county-${region}`, 'X-Region': region, 'X-User-Id': `county-${region}` });

export async function call(base: string, method: 'GET' | 'POST', path: string, headers: Record<string, string> = {}, body?: unknown, timeoutMs = 60_000): Promise<Answer> {
  const started = Date.now();
  let res: Response;
  let text: string;
  try {
    res = await fetch(`${base}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await res.text();
  } catch (err) {
    // A timeout names the call (the stack of a fetch does not): which route hung, and for how long.
    if (err instanceof Error && err.name === 'TimeoutError') throw new Error(`${method} ${path}: no answer within ${timeoutMs} ms (after ${Date.now() - started} ms)`, { cause: err });
    throw err;
  }
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: kept as text */
  }
  return { status: res.status, body: parsed };
}
