/** One dependency's state in /health/ready: up with what the probe read, or down with why. */
export type DependencyState = { status: 'up'; [fact: string]: unknown } | { status: 'down'; error: string };

/**
 * How long a probe may take before its dependency counts as down. A stopped server does not always fail
 * fast: the MongoDB driver waits for server selection (10 s here), and ioredis under BullMQ
 * (maxRetriesPerRequest: null) queues commands until Redis is back — without a bound /health/ready hung.
 */
export const PROBE_TIMEOUT_MS = 2_000;

/** Runs a cheap probe (a primary-key read, an alias lookup, a count) and never throws. */
export async function probe(read: () => Promise<Record<string, unknown>>, timeoutMs = PROBE_TIMEOUT_MS): Promise<DependencyState> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return { status: 'up', ...(await Promise.race([read(), timeout])) };
  } catch (err) {
    return { status: 'down', error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}
