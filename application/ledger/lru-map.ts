/**
 * A Map kept in least-recently-used order, whose eviction costs O(1) amortised.
 *
 * Why not a plain Map used as an LRU (delete and re-insert a key on use, evict `keys().next()`): every move
 * and every eviction leaves a deleted slot in V8's ordered hash table, compacted only when the table is
 * rehashed, and a fresh iterator walks every deleted slot in front of the first live entry. In a full cache,
 * where each insertion evicts, that walk is paid on every insertion: at the L plan's first 1.5M events the
 * stream cache's `appended`/`evict` took ≈ 15 µs of CPU per event, against ≈ 3 at S (decision 0020, "At L").
 *
 * Here one iterator lives across evictions. Every key it has yielded was evicted at once, and a key that is
 * used again moves to the end, behind it; so the next key it yields is always the oldest live one, and each
 * deleted slot is walked once. A Map iterator that has finished stays finished (even if keys are added
 * later), so a finished one is replaced.
 */
export class LruMap<K, V> {
  private readonly map = new Map<K, V>();
  private cursor: Iterator<K> | undefined;

  get size(): number {
    return this.map.size;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** The value without marking it used. */
  peek(key: K): V | undefined {
    return this.map.get(key);
  }

  /** The value, marked as the most recently used. */
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) this.touch(key, value);
    return value;
  }

  /** Sets the value as the most recently used. */
  set(key: K, value: V): void {
    this.touch(key, value);
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
    this.cursor = undefined;
  }

  /** Removes the least recently used entry and returns it; undefined when empty. */
  evictOldest(): [K, V] | undefined {
    for (let attempt = 0; attempt < 2; attempt++) {
      this.cursor ??= this.map.keys();
      const next = this.cursor.next();
      if (!next.done) {
        const value = this.map.get(next.value)!;
        this.map.delete(next.value);
        return [next.value, value];
      }
      this.cursor = undefined;
    }
    return undefined;
  }

  private touch(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
  }
}
