import * as path from 'node:path';
import { isFileBacked } from './sqlite-database';

type Listener = () => void;

/**
 * Wakes subscriptions when an append commits in this process, so live delivery does not wait for the
 * poll interval. Keyed by the resolved file path: two SqliteEventStore instances on one file in one
 * process wake each other too. Appends from other processes are only seen by polling.
 */
const listenersByFile = new Map<string, Set<Listener>>();

export class AppendNotifier {
  private readonly key: string;

  constructor(filePath: string) {
    // An in-memory database is private to its connection, hence to this instance.
    this.key = isFileBacked(filePath) ? path.resolve(filePath) : `memory:${Math.random()}:${Date.now()}`;
  }

  listen(listener: Listener): () => void {
    let set = listenersByFile.get(this.key);
    if (!set) listenersByFile.set(this.key, (set = new Set()));
    set.add(listener);
    return () => {
      set!.delete(listener);
      if (set!.size === 0 && listenersByFile.get(this.key) === set) listenersByFile.delete(this.key);
    };
  }

  notify(): void {
    const set = listenersByFile.get(this.key);
    if (!set) return;
    for (const listener of [...set]) listener();
  }
}
