/** One dependency's state in /health/ready: up with what the probe read, or down with why. */
export type DependencyState = { status: 'up'; [fact: string]: unknown } | { status: 'down'; error: string };

/** Runs a cheap probe (a primary-key read, an alias lookup, a count) and never throws. */
export async function probe(read: () => Promise<Record<string, unknown>>): Promise<DependencyState> {
  try {
    return { status: 'up', ...(await read()) };
  } catch (err) {
    return { status: 'down', error: err instanceof Error ? err.message : String(err) };
  }
}
