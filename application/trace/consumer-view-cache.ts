import type { ReadModels } from '../ports/read-models';
import { builtConsumerView, noticeStamp, openNoticeDocs, type ConsumerView } from './consumer-view';

interface Entry {
  view: ConsumerView;
  lotVersion: number;
  noticeStamp: string;
}

/**
 * The public view per trace code, kept until the projections move past what it was built from (decision
 * 0021). A lookup reads the lot's document and the open notices about it — two indexed reads — and answers
 * the remembered view when the lot's `_v` and the notices' stamp are those it was built from; else it
 * builds the view again. So a hold, a lifting, a certificate or a notice shows on the first lookup after the
 * read models include it (a command's answer waits for that: read-your-writes), never a stale status, and
 * any number of server processes may each keep their own cache over the same read store.
 *
 * Bounded: least recently used views go first.
 */
export class ConsumerViewCache {
  private readonly entries = new Map<string, Entry>();
  private hits = 0;
  private misses = 0;

  constructor(
    private readonly models: ReadModels,
    private readonly maxEntries = 20_000,
  ) {}

  async lookup(traceCode: string): Promise<ConsumerView | null> {
    const cached = this.entries.get(traceCode);
    if (cached) {
      const [lot, notices] = await Promise.all([this.models.get('lots', traceCode), openNoticeDocs(this.models, traceCode)]);
      if (lot && lot._v === cached.lotVersion && noticeStamp(notices) === cached.noticeStamp) {
        // Re-insert: Map order is the recency order the eviction reads.
        this.entries.delete(traceCode);
        this.entries.set(traceCode, cached);
        this.hits++;
        return cached.view;
      }
    }
    this.misses++;
    const built = await builtConsumerView(this.models, traceCode);
    if (!built) {
      this.entries.delete(traceCode);
      return null;
    }
    this.entries.delete(traceCode);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(traceCode, { view: built.view, lotVersion: built.lotVersion, noticeStamp: built.noticeStamp });
    return built.view;
  }

  stats(): { entries: number; hits: number; misses: number } {
    return { entries: this.entries.size, hits: this.hits, misses: this.misses };
  }
}
