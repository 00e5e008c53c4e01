import type { Increment, ReadDoc } from '../../application/ports/read-store';

/** What an increment does to a stored document (the port's rule, application/ports/read-store.ts `Increment`). */
export type IncrementOutcome = { kind: 'apply'; doc: ReadDoc } | { kind: 'skip' } | { kind: 'straddle'; stored: number };

/**
 * The increment rule in memory: for a store without increments (the runner reads the document and puts the
 * result) and for a batch that reads a document it is also incrementing. The SQLite and MongoDB adapters do
 * the same in their own language; the read-store contract suite holds all of them to it.
 */
export function applyIncrement(stored: ReadDoc | null, inc: Increment): IncrementOutcome {
  if (stored && stored._v >= inc.v) return { kind: 'skip' };
  if (stored && stored._v >= inc.from) return { kind: 'straddle', stored: stored._v };
  const base: Record<string, unknown> = stored ? { ...stored } : { _id: inc.id, ...inc.init };
  const before = base[inc.field];
  const counters: Record<string, number> = before && typeof before === 'object' ? { ...(before as Record<string, number>) } : {};
  for (const k in inc.add) counters[k] = (counters[k] ?? 0) + inc.add[k]!;
  return { kind: 'apply', doc: { ...base, ...inc.set, [inc.field]: counters, _id: inc.id, _v: inc.v } as ReadDoc };
}

/** Adds one increment into another of the same document (a batch gathers one per document). */
export function mergeIncrement(into: Increment, more: Pick<Increment, 'add' | 'set' | 'init' | 'from' | 'v'>): void {
  for (const k in more.add) into.add[k] = (into.add[k] ?? 0) + more.add[k]!;
  Object.assign(into.set, more.set);
  for (const k in more.init) if (!(k in into.init)) into.init[k] = more.init[k];
  // A field set by a later event must not also be an insert-only field (MongoDB refuses both on one path).
  for (const k in into.set) delete into.init[k];
  into.from = Math.min(into.from, more.from);
  into.v = Math.max(into.v, more.v);
}
