import { WorkerProjectionHost } from '../../infrastructure/projection-worker/worker-projection-host';
import { ProjectionRunner } from '../../projections/runner/projection-runner';
import { createLot, registeredEntity } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * PROJECTIONS=worker (the default, decision 0022): the projections fold in a worker thread over their own
 * connections, and the API thread still reads its own writes, follows a blue/green rebuild to the new
 * generation, and shuts the worker down cleanly.
 */
describe('projections in a worker thread', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ PROJECTIONS: 'worker' });
  });
  afterAll(() => t.close());

  it('folds off the request thread, and a command answer still waits until the read models include it', async () => {
    expect(t.platform.runner).toBeInstanceOf(WorkerProjectionHost);
    const { entityId } = await registeredEntity(t);
    const traceCode = await createLot(t, entityId, 250);
    // No explicit wait: the answer of POST /lots came after the worker's checkpoint passed its position.
    const lot = await t.platform.readModels.get('lots', traceCode);
    expect(lot).toMatchObject({ _id: traceCode });
    await t.http.get(`/api/v1/trace/${traceCode}`).expect(200);
    const status = await t.platform.runner.status();
    const head = await t.platform.adapters.eventStore.headPosition();
    expect(status.every((s) => s.checkpoint === head || s.lag === 0 || s.checkpoint <= head)).toBe(true);
    expect(await t.platform.runner.waitFor(head, 10_000)).toBe(true);
  });

  it('switches the readers to the new generation of a rebuild before the old one is dropped', async () => {
    const before = t.platform.runner.collection('lots');
    const { entityId } = await registeredEntity(t);
    const traceCode = await createLot(t, entityId, 40);
    await t.platform.runner.rebuild('lots');
    const after = t.platform.runner.collection('lots');
    expect(after).not.toBe(before);
    expect(after).toBe(ProjectionRunner.physicalName('lots', Number(before.split('__g')[1]) + 1));
    expect(await t.platform.readModels.get('lots', traceCode)).toMatchObject({ _id: traceCode });
    // The old generation is gone: the worker dropped it after this thread had switched.
    expect(await t.platform.adapters.readStore.listCollections()).not.toContain(before);
    const status = await t.platform.runner.status();
    expect(status.find((s) => s.name === 'lots')).toMatchObject({ rebuilding: false, generation: Number(after.split('__g')[1]) });
  });
});
