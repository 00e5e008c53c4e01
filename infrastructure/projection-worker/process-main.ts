import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectionsFor, readModelIndexes } from '../../projections';
import { ProjectionRunner } from '../../projections/runner/projection-runner';
import { loadConfig } from '../config/config';
import { createLogger } from '../logging/logger';
import { AppendNotifier } from '../sqlite/append-notifier';
import { openProjectionAdapters } from './projection-adapters';
import { readPublishedState, readRebuildRequest, StatePublisher, type PublishedState } from './published-state';

/**
 * `npm run projections`: the projection worker as a SEPARATE PROCESS (PROJECTIONS=process on the API side) — the
 * distributed configuration's shape: API processes append and serve, this process tails the log (embedded
 * SQLite through WAL, or KurrentDB) and writes the read models and the search index (SQLite or MongoDB /
 * Elasticsearch). It publishes its folded position and generations in the read store after every batch
 * (published-state.ts); the API's ProcessProjectionHost polls that for read-your-writes.
 *
 * Run ONE of these per deployment: two would fold the same read models twice over (idempotent by `_v`, but
 * their rebuilds would race). kill -9 loses nothing: the checkpoints commit with the documents, and a restart
 * folds on from them.
 */

/** How long an old generation outlives a swap: the API processes poll the state at least this often (×3). */
const GENERATION_GRACE_MS = Number(process.env.PROJECTION_GENERATION_GRACE_MS ?? 1500);
/** How often rebuild requests are looked for and the state republished (status freshness, heartbeat). */
const HOUSEKEEPING_MS = 250;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const adapters = await openProjectionAdapters(config);
  const publisher = new StatePublisher(adapters.readStore, (err) => logger.error({ err: err instanceof Error ? err.message : String(err) }, 'publishing the projection state failed'));
  // A request finished before a restart is not run again.
  let rebuildDone = (await readPublishedState(adapters.readStore).catch(() => null))?.rebuildDone ?? 0;
  let rebuildError: string | undefined;
  // eslint-disable-next-line prefer-const -- the hooks below need the runner they belong to
  let runner: ProjectionRunner;
  const state = async (): Promise<PublishedState> => ({
    position: runner.foldedPosition(),
    generations: runner.generations(),
    rebuilding: runner.rebuildingNames(),
    statuses: await runner.status(),
    rebuildDone,
    ...(rebuildError ? { rebuildError } : {}),
    pid: process.pid,
    publishedAt: Date.now(),
  });
  let lastPosted = -1;
  runner = new ProjectionRunner(
    adapters.eventStore,
    adapters.readStore,
    adapters.searchIndex,
    projectionsFor(config.EVENT_STORE),
    { info: (msg, extra) => logger.info(extra ?? {}, msg), error: (msg, extra) => logger.error(extra ?? {}, msg) },
    readModelIndexes,
    500,
    Date.now,
    {
      checkpointMoved: (position) => {
        if (position === lastPosted) return;
        lastPosted = position;
        void publisher.publish(state);
      },
      // No acknowledgement across processes: publish the new generations, then give every API process time to
      // read them before the runner drops the old tables.
      generationsChanged: async () => {
        await publisher.publish(state);
        await new Promise((resolve) => setTimeout(resolve, GENERATION_GRACE_MS));
      },
    },
  );

  // Appends of the API processes: SQLite wakes subscriptions only within a process, so watch the ledger's files
  // and wake the tail at once instead of at its next 200 ms poll.
  let watcher: fs.FSWatcher | null = null;
  if (adapters.eventsFile) {
    const notifier = new AppendNotifier(adapters.eventsFile);
    const base = path.basename(adapters.eventsFile);
    watcher = fs.watch(path.dirname(adapters.eventsFile), (_event, file) => {
      if (file && file.startsWith(base)) notifier.notify();
    });
  }

  await runner.start();
  await publisher.publish(state);
  void runner.settled().then(() => publisher.publish(state));

  let stopping = false;
  let rebuilding: Promise<void> | null = null;
  const housekeeping = setInterval(() => {
    if (stopping) return;
    void (async () => {
      const request = await readRebuildRequest(adapters.readStore).catch(() => null);
      if (request && request.seq > rebuildDone && !rebuilding) {
        rebuilding = runner.rebuild(request.name).then(
          () => {
            rebuildError = undefined;
          },
          (err: unknown) => {
            rebuildError = err instanceof Error ? err.message : String(err);
          },
        ).finally(() => {
          rebuildDone = request.seq;
          rebuilding = null;
          void publisher.publish(state);
        });
      }
      await publisher.publish(state);
    })();
  }, HOUSEKEEPING_MS);

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(housekeeping);
    watcher?.close();
    logger.info({ signal }, 'projection worker process stopping');
    await runner.stop();
    await publisher.publish(state).catch(() => undefined);
    await adapters.searchIndex.close();
    await adapters.readStore.close();
    await adapters.eventStore.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  // Printed once live (tests and operators wait for this line).
  process.stdout.write(`projection worker process ready: pid ${process.pid}, folded to ${runner.foldedPosition()}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`projection worker process failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
