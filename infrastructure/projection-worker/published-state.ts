import type { ReadStore } from '../../application/ports/read-store';
import type { ProjectionStatus } from '../../projections/runner/projection-runner';
import type { RunnerState } from './protocol';

/**
 * How a projection worker in ANOTHER PROCESS (PROJECTIONS=process, `npm run projections`) and the API processes
 * talk: through the read store both already share — no extra server, and it works the same on SQLite (one
 * file through WAL) and MongoDB. The worker publishes one document after every batch; the API polls it.
 * The stored per-projection checkpoints are not enough for read-your-writes: a filtered projection's folded
 * position moves in memory past events it does not handle (onProgress) without a commit, so waiting on the
 * stored ones could hang on a quiet projection.
 */
export const HOST_COLLECTION = '_projection_host';
const STATE_ID = 'state';
const REQUEST_ID = 'rebuild-request';

export interface PublishedState extends RunnerState {
  /** The runner's status() when this was published (head and lag as the worker saw them). */
  statuses: ProjectionStatus[];
  /** The last rebuild request (`RebuildRequest.seq`) the worker finished, and how. */
  rebuildDone: number;
  rebuildError?: string;
  pid: number;
  publishedAt: number;
}

export interface RebuildRequest {
  seq: number;
  name?: string;
}

/** A strictly increasing `_v` across writers and restarts (the stores keep a put only if its `_v` is higher). */
let lastVersion = 0;
function nextVersion(): number {
  lastVersion = Math.max(lastVersion + 1, Date.now() * 1000);
  return lastVersion;
}

export async function readPublishedState(reads: ReadStore): Promise<PublishedState | null> {
  return (await reads.get(HOST_COLLECTION, STATE_ID)) as unknown as PublishedState | null;
}

export async function writePublishedState(reads: ReadStore, state: PublishedState): Promise<void> {
  await reads.applyChanges(`${HOST_COLLECTION}:state`, [{ op: 'put', collection: HOST_COLLECTION, doc: { ...state, _id: STATE_ID, _v: nextVersion() } }], state.position);
}

export async function readRebuildRequest(reads: ReadStore): Promise<RebuildRequest | null> {
  const doc = await reads.get(HOST_COLLECTION, REQUEST_ID);
  return doc ? { seq: doc.seq as number, ...(typeof doc.name === 'string' ? { name: doc.name } : {}) } : null;
}

export async function writeRebuildRequest(reads: ReadStore, request: RebuildRequest): Promise<void> {
  await reads.applyChanges(`${HOST_COLLECTION}:request`, [{ op: 'put', collection: HOST_COLLECTION, doc: { ...request, _id: REQUEST_ID, _v: nextVersion() } }], request.seq);
}

/**
 * Publishes the newest state without queueing one write per batch: while a write is in flight, later states
 * only replace the one waiting, so a fast tail costs at most one write in flight and one pending.
 */
export class StatePublisher {
  private pending: (() => Promise<PublishedState>) | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly reads: ReadStore,
    private readonly onError: (err: unknown) => void,
  ) {}

  publish(state: () => Promise<PublishedState>): Promise<void> {
    this.pending = state;
    if (!this.running) this.running = this.drain();
    return this.running;
  }

  private async drain(): Promise<void> {
    await Promise.resolve(); // `running` is assigned before the loop can end
    try {
      while (this.pending) {
        const next = this.pending;
        this.pending = null;
        try {
          await writePublishedState(this.reads, await next());
        } catch (err) {
          this.onError(err);
        }
      }
    } finally {
      // No await between the loop's last check and here: a state published meanwhile starts a new drain.
      this.running = null;
    }
  }
}
