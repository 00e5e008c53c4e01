import { randomBytes } from 'node:crypto';

/**
 * Names unique to one run, so a suite can run against a shared server (KurrentDB, MongoDB,
 * Elasticsearch, Redis) next to other runs and leave nothing it depends on behind.
 * Lower-case letters and digits only: valid as an Elasticsearch index, a Mongo collection, a queue name.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `check` returns true; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${what}`);
    await sleep(10);
  }
}
