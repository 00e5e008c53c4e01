import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { canonicalize } from 'json-canonicalize';
import type { ReadStore } from '../../application/ports/read-store';
import type { SearchIndex, SearchQuery } from '../../application/ports/search-index';
import type { AppConfig } from '../../infrastructure/config/config';
import { SqliteEventStore } from '../../infrastructure/sqlite/sqlite-event-store';
import { projectionsFor, readModelIndexes } from '../../projections';
import { ProjectionRunner, SEARCH_ALIAS } from '../../projections/runner/projection-runner';

/**
 * "Read models equal a fresh rebuild": a digest (sha256 of the canonical JSON of every document, in _id
 * order) of every collection of every projection's LIVE generation, generation names left out — so the
 * killed-and-restarted server's read side can be held against one built from nothing out of a copy of
 * the same ledger. Also a few search queries on both, and each projection's checkpoint (see effectiveCheckpoint).
 */
export interface ReadSide {
  reads: ReadStore;
  search: SearchIndex;
  close(): Promise<void>;
  /** Removes what a throw-away copy created on shared servers (a MongoDB database's collections, ES indices). */
  drop?(): Promise<void>;
}

/** The read store and search index of a configuration, without the event store or the job queue. */
export async function openReadSide(config: AppConfig): Promise<ReadSide> {
  let reads: ReadStore;
  if (config.READ_STORE === 'mongodb') {
    const { MongoReadStore } = await import('../../infrastructure/mongodb/mongo-read-store');
    reads = await MongoReadStore.connect(config.MONGODB_URL!, config.MONGODB_DB);
  } else {
    const { SqliteReadStore } = await import('../../infrastructure/sqlite/sqlite-read-store');
    reads = new SqliteReadStore(path.join(config.dataDir, 'read-models.sqlite'), { synchronous: 'NORMAL' });
  }
  let search: SearchIndex;
  if (config.SEARCH === 'elasticsearch') {
    const { ElasticsearchSearchIndex } = await import('../../infrastructure/elasticsearch/es-search-index');
    search = await ElasticsearchSearchIndex.connect(config.ELASTICSEARCH_URL!, { indexPrefix: config.ELASTICSEARCH_INDEX_PREFIX });
  } else {
    const { SqliteSearchIndex } = await import('../../infrastructure/sqlite/sqlite-search-index');
    search = new SqliteSearchIndex(path.join(config.dataDir, 'search.sqlite'), { synchronous: 'NORMAL' });
  }
  return {
    reads,
    search,
    async close() {
      await search.close();
      await reads.close();
    },
    async drop() {
      if (config.READ_STORE === 'mongodb') for (const c of await reads.listCollections()) await reads.dropCollection(c);
      if (config.SEARCH === 'elasticsearch') for (let g = 0; g <= 3; g++) await search.dropIndex(ProjectionRunner.physicalName(SEARCH_ALIAS, g)).catch(() => undefined);
    },
  };
}

export interface Digest {
  /** logical collection → sha256 of its documents */
  collections: Record<string, string>;
  counts: Record<string, number>;
  /** logical collection → document id → sha256 of that document: names the documents that differ */
  documents: Record<string, Map<string, string>>;
  /** logical collection → document id → its canonical JSON, to show how the first differing document differs */
  texts: Record<string, Map<string, string>>;
  /** projection → checkpoint of its live generation */
  checkpoints: Record<string, number>;
  /** query label → total, facets and (for narrow queries) the sorted hit ids */
  search: Record<string, string>;
}

/** An event of the log as far as a projection's filter sees it. */
export interface LoggedEvent {
  position: number;
  type: string;
}

/**
 * A projection's checkpoint as the position of the last event it handles at or before it. The runner keeps
 * the commands' lane's progress over events none of its projections handles (DataAccessed, TreeHeadSealed)
 * in memory only (projections/runner/projection-runner.ts, onProgress): a served read side's stored
 * checkpoint may then stop before such a tail, a rebuild's is stored at the head, and both have folded
 * exactly the same events. Compared so, they must be equal; a projection that missed an event it handles
 * still shows.
 */
export function effectiveCheckpoint(handles: readonly string[], checkpoint: number, events: readonly LoggedEvent[]): number {
  let last = -1;
  for (const e of events) if (e.position <= checkpoint && (handles.length === 0 || handles.includes(e.type)) && e.position > last) last = e.position;
  return last;
}

export async function digestReadSide(side: ReadSide, queries: Record<string, SearchQuery>, events: readonly LoggedEvent[]): Promise<Digest> {
  const digest: Digest = { collections: {}, counts: {}, documents: {}, texts: {}, checkpoints: {}, search: {} };
  for (const p of projectionsFor('sqlite')) {
    const meta = await side.reads.get('_projections', p.name);
    if (!meta) throw new Error(`projection ${p.name} has no live generation`);
    const generation = meta.generation as number;
    // A projection writing the search index stores its checkpoint only up to the last flush of the index
    // (by design: at most once a second, while it has search writes), so after a quiet tail it may stay
    // behind the head; a restart then re-folds that stretch idempotently. Its documents are compared.
    if (!p.search) digest.checkpoints[p.name] = effectiveCheckpoint(p.handles, (await side.reads.getCheckpoint(`${p.name}@g${generation}`)) ?? -1, events);
    // A batch-level fold (Projection.applyBatch) stamps every document it writes with the batch's LAST position
    // (projections/runner/projection.ts): `_v` then depends on where the batches began and ended — a served
    // read side folds the tail in small batches, a rebuild in large ones — while the content does not. Such
    // documents are compared without `_v`; every other projection's `_v` (its last event's position) is compared.
    const batchStamped = typeof p.applyBatch === 'function';
    for (const c of p.collections) {
      const docs = await side.reads.find(ProjectionRunner.physicalName(c, generation), {}, { sort: { _id: 1 } });
      const hash = createHash('sha256');
      const byId = new Map<string, string>();
      const texts = new Map<string, string>();
      for (const d of docs) {
        const { _v, ...content } = d;
        const text = canonicalize(batchStamped ? content : d);
        hash.update(text).update('\n');
        byId.set(d._id, createHash('sha256').update(text).digest('hex'));
        texts.set(d._id, text);
      }
      digest.collections[c] = hash.digest('hex');
      digest.counts[c] = docs.length;
      digest.documents[c] = byId;
      digest.texts[c] = texts;
    }
  }
  await side.search.refresh(SEARCH_ALIAS).catch(() => undefined);
  for (const [label, q] of Object.entries(queries)) {
    const r = await side.search.search(SEARCH_ALIAS, q);
    // Totals and facets always; hit ids (sorted: scores of an updated index and a fresh one may tie differently) when they all fit.
    const ids = r.total <= (q.size ?? 10) ? r.hits.map((h) => h.id).sort() : null;
    digest.search[label] = canonicalize({ total: r.total, facets: r.facets, ids });
  }
  return digest;
}

/** Differences between two digests, as readable lines (empty: equal). */
export function compareDigests(served: Digest, rebuilt: Digest): string[] {
  const out: string[] = [];
  for (const section of ['collections', 'checkpoints', 'search'] as const) {
    const keys = new Set([...Object.keys(served[section]), ...Object.keys(rebuilt[section])]);
    for (const k of keys) {
      const a = served[section][k];
      const b = rebuilt[section][k];
      if (a === b) continue;
      if (section !== 'collections') {
        out.push(`${section} ${k}: served ${String(a).slice(0, 200)} ≠ rebuilt ${String(b).slice(0, 200)}`);
        continue;
      }
      const differing = differingIds(served.documents[k], rebuilt.documents[k]);
      out.push(`collections ${k}: served ${served.counts[k]} docs ≠ rebuilt ${rebuilt.counts[k]} docs; ${differing.length} differ, e.g. ${differing.slice(0, 3).join(', ')}`);
      const first = differing[0];
      if (first !== undefined) out.push(`  ${first} served:  ${served.texts[k]?.get(first)?.slice(0, 600) ?? '(absent)'}`, `  ${first} rebuilt: ${rebuilt.texts[k]?.get(first)?.slice(0, 600) ?? '(absent)'}`);
    }
  }
  return out;
}

function differingIds(a: Map<string, string> = new Map(), b: Map<string, string> = new Map()): string[] {
  const ids = new Set([...a.keys(), ...b.keys()]);
  return [...ids].filter((id) => a.get(id) !== b.get(id)).sort();
}

/**
 * A fresh rebuild: the live ledger copied with SQLite's online backup (the server keeps running), then every
 * projection built from position 0 into an empty read store and search index (a new DATA_DIR; in the mixed
 * configuration new database / index names) — what `npm run rebuild` does on an empty read side. No job
 * queue and no process manager: only the read models.
 */
export async function freshRebuild(liveEvents: string, copy: AppConfig): Promise<ReadSide> {
  fs.mkdirSync(copy.dataDir, { recursive: true });
  const source = new Database(liveEvents, { readonly: true, fileMustExist: true });
  try {
    await source.backup(path.join(copy.dataDir, 'events.sqlite'));
  } finally {
    source.close();
  }
  const events = new SqliteEventStore(path.join(copy.dataDir, 'events.sqlite'));
  const side = await openReadSide(copy);
  await side.drop?.();
  const silent = { info: () => undefined, error: (msg: string, extra?: Record<string, unknown>) => process.stderr.write(`rebuild: ${msg} ${JSON.stringify(extra ?? {})}\n`) };
  const runner = new ProjectionRunner(events, side.reads, side.search, projectionsFor('sqlite'), silent, readModelIndexes);
  await runner.start();
  await runner.stop();
  await events.close();
  return side;
}
