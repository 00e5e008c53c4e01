import type { ProjectionStatus } from '../../projections/runner/projection-runner';

/**
 * Messages between the API thread (WorkerProjectionHost) and the projection worker (worker-thread.ts).
 * The worker owns the runner and its connections; the API thread mirrors only what its readers and
 * waiters need: the folded position, the live generation of each projection, and which ones rebuild.
 */
export type HostRequest =
  | { kind: 'start' }
  | { kind: 'stop' }
  | { kind: 'status' }
  | { kind: 'rebuild'; name?: string };

export type ToWorker =
  | { type: 'request'; id: number; request: HostRequest }
  /** An append committed on the API thread: wake the tail now instead of at its next poll. */
  | { type: 'wake' }
  /** The API thread switched to the generations of `generations` message `id`. */
  | { type: 'ack'; id: number };

export interface RunnerState {
  /** Every live projection (frozen old generations aside) has folded the log up to here. */
  position: number;
  /** Projection name → live generation. */
  generations: Record<string, number>;
  rebuilding: string[];
}

export type FromWorker =
  | { type: 'reply'; id: number; ok: true; value?: ProjectionStatus[]; state: RunnerState }
  | { type: 'reply'; id: number; ok: false; error: string; state: RunnerState }
  | { type: 'progress'; state: RunnerState }
  /** New generations are live; the old ones are dropped once the API thread acknowledges `id`. */
  | { type: 'generations'; id: number; state: RunnerState }
  | { type: 'log'; level: 'info' | 'error'; msg: string; extra?: object };
