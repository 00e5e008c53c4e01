import { parentPort, workerData } from 'node:worker_threads';
import { projectionsFor, readModelIndexes } from '../../projections';
import { ProjectionRunner } from '../../projections/runner/projection-runner';
import type { AppConfig } from '../config/config';
import { AppendNotifier } from '../sqlite/append-notifier';
import { openProjectionAdapters, type ProjectionAdapters } from './projection-adapters';
import type { FromWorker, HostRequest, RunnerState, ToWorker } from './protocol';

/**
 * The projection worker thread: runs the ProjectionRunner over its own connections, so folding, read-model
 * commits and search indexing leave the API thread's event loop (and use the second core). It tells the API
 * thread how far it folded after every batch (read-your-writes waits there) and which generation is live;
 * an old generation is dropped only after the API thread has switched its readers to the new one.
 */
const port = parentPort!;
const { config } = workerData as { config: AppConfig };
const post = (message: FromWorker) => port.postMessage(message);

let adapters: ProjectionAdapters | null = null;
let runner: ProjectionRunner | null = null;
let lastPosted = -1;
let nextAck = 0;
const acks = new Map<number, () => void>();

function state(): RunnerState {
  return runner
    ? { position: runner.foldedPosition(), generations: runner.generations(), rebuilding: runner.rebuildingNames() }
    : { position: 0, generations: {}, rebuilding: [] };
}

async function open(): Promise<ProjectionRunner> {
  if (runner) return runner;
  adapters = await openProjectionAdapters(config);
  runner = new ProjectionRunner(
    adapters.eventStore,
    adapters.readStore,
    adapters.searchIndex,
    projectionsFor(config.EVENT_STORE),
    {
      info: (msg, extra) => post({ type: 'log', level: 'info', msg, ...(extra ? { extra } : {}) }),
      error: (msg, extra) => post({ type: 'log', level: 'error', msg, ...(extra ? { extra } : {}) }),
    },
    readModelIndexes,
    500,
    Date.now,
    {
      checkpointMoved: (position) => {
        if (position === lastPosted) return;
        lastPosted = position;
        post({ type: 'progress', state: state() });
      },
      generationsChanged: () =>
        new Promise<void>((resolve) => {
          const id = ++nextAck;
          acks.set(id, resolve);
          post({ type: 'generations', id, state: state() });
        }),
    },
  );
  return runner;
}

async function handle(request: HostRequest): Promise<unknown> {
  const r = await open();
  switch (request.kind) {
    case 'start':
      await r.start();
      // A start-up rebuild behind the old generations: tell the API thread when it is over.
      void r.settled().then(() => post({ type: 'progress', state: state() }));
      return undefined;
    case 'status':
      return r.status();
    case 'rebuild':
      await r.rebuild(request.name);
      return undefined;
    case 'stop':
      await r.stop();
      await adapters!.searchIndex.close();
      await adapters!.readStore.close();
      await adapters!.eventStore.close();
      return undefined;
  }
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'wake') {
    if (adapters?.eventsFile) new AppendNotifier(adapters.eventsFile).notify();
  } else if (message.type === 'ack') {
    acks.get(message.id)?.();
    acks.delete(message.id);
  } else {
    handle(message.request).then(
      (value) => {
        post({ type: 'reply', id: message.id, ok: true, ...(value ? { value: value as never } : {}), state: state() });
        // Stopped: let the thread end on its own (a terminated thread writes no --cpu-prof profile).
        if (message.request.kind === 'stop') setImmediate(() => port.close());
      },
      (err: unknown) => post({ type: 'reply', id: message.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err), state: state() }),
    );
  }
});
