import type { RecordedEvent } from '../../../../application/ports/event-store';
import type { ReadDoc, ReadStore } from '../../../../application/ports/read-store';
import { decider, type OriginRecordCommand, type OriginRecordEvent, type OriginRecordState } from '../../../../domain/origin';
import { cellsOfBbox, originPointsProjection, pointCell } from '../../../../projections/origin/origin-points.projection';
import { originRecordsProjection } from '../../../../projections/origin/origin-records.projection';
import { BatchContext } from '../../../../projections/runner/batch-context';
import { COUNTY, ctx, livestockInput, plantingInput } from '../../domain/origin/fixtures';

/**
 * The 一张图 read model (origin_points) against the full records (origin_records), both folded from the same events
 * the decider appends: every live record has a point whose filter values equal the record's, a retired one has
 * none; and a map view's grid cells hold every point inside it.
 */
async function fold(events: { type: string; data: Record<string, unknown>; at: string }[]): Promise<Map<string, ReadDoc>> {
  const docs = new Map<string, ReadDoc>();
  const store = { get: async (c: string, id: string) => structuredClone(docs.get(`${c}\u0000${id}`) ?? null) } as unknown as ReadStore;
  const batch = new BatchContext(store, (c) => c);
  let position = 0;
  for (const e of events) {
    batch.position = ++position;
    const recorded = { ...e, position, streamId: 's', revision: 0, schemaVersion: 1, recordedAt: e.at, occurredAt: e.at } as unknown as RecordedEvent;
    await originRecordsProjection.apply(recorded, batch);
    await originPointsProjection.apply(recorded, batch);
  }
  for (const change of batch.changes()) {
    if (change.op === 'put') docs.set(`${change.collection}\u0000${change.doc._id}`, change.doc);
    else docs.delete(`${change.collection}\u0000${change.id}`);
  }
  return docs;
}

describe('origin_points (一张图)', () => {
  it('mirrors every filter value of the live records and drops a retired one', async () => {
    const log: { type: string; data: Record<string, unknown>; at: string }[] = [];
    const states = new Map<string, OriginRecordState>();
    let minute = 0;
    const run = (recordId: string, command: OriginRecordCommand, actor = ctx().actor) => {
      const state = states.get(recordId) ?? decider.initialState();
      const at = new Date(Date.parse('2026-03-10T02:00:00Z') + minute++ * 60_000);
      const events = decider.decide(command, state, ctx({ now: at, actor })) as OriginRecordEvent[];
      let next = state;
      for (const e of events) {
        next = decider.evolve(next, e);
        log.push({ type: e.type, data: e.data as unknown as Record<string, unknown>, at: at.toISOString() });
      }
      states.set(recordId, next);
    };
    run('a', { type: 'CollectOriginRecord', data: { recordId: 'a', channel: 'form', fields: plantingInput() } });
    run('b', { type: 'CollectOriginRecord', data: { recordId: 'b', channel: 'form', fields: livestockInput('生猪', '20', '头') } });
    run('c', { type: 'CollectOriginRecord', data: { recordId: 'c', channel: 'form', fields: plantingInput({ producerName: '另一块地', point: { lat: '39.9201112', lon: '116.4012223' } }) } });
    run('a', { type: 'ApproveOriginRecord', data: {} }, COUNTY);
    run('b', { type: 'ReturnOriginRecord', data: { reason: '规模不符', deadline: '2026-04-01T00:00:00Z' } }, COUNTY);
    run('a', { type: 'ChangeOriginRecord', data: { channel: 'form', fields: plantingInput({ scale: { amount: '3', unit: '亩' } }) } });
    run('c', { type: 'RetireOriginRecord', data: { reason: '重复采集' } });
    const docs = await fold(log);

    const point = (id: string) => docs.get(`origin_points\u0000${id}`);
    const record = (id: string) => docs.get(`origin_records\u0000${id}`)!;
    for (const id of ['a', 'b']) {
      const p = point(id)!;
      const r = record(id);
      for (const key of ['product', 'villageCode', 'entityId', 'certification', 'traceMethods', 'scaleAmount', 'inScope', 'reviewState', 'updatedAt', 'lat', 'lon', 'retired'] as const) expect([key, p[key]]).toEqual([key, r[key]]);
      expect(p.latText).toBe((r.fields as { point: { lat: string } }).point.lat);
      expect(p.cell).toBe(pointCell(r.lat as number, r.lon as number));
    }
    expect(point('a')).toMatchObject({ reviewState: 'pending', scaleAmount: 3 });
    expect(point('b')).toMatchObject({ reviewState: 'returned', inScope: false });
    expect(record('c').retired).toBe(true);
    expect(point('c')).toBeUndefined();
    // The slim document is a fraction of the record's.
    expect(JSON.stringify(point('a')).length * 4).toBeLessThan(JSON.stringify(record('a')).length);
  });

  it('covers a map view with the grid cells of every point inside it, and gives up on a country-wide one', () => {
    const cells = cellsOfBbox(116.35, 39.85, 116.45, 39.95)!;
    for (const [lat, lon] of [[39.85, 116.35], [39.9163447, 116.3971546], [39.95, 116.45], [39.8999999, 116.3999999]]) expect(cells).toContain(pointCell(lat!, lon!));
    expect(cells).toHaveLength(4);
    expect(cellsOfBbox(73, 18, 135, 53)).toBeNull();
    expect(cellsOfBbox(110, 20, 109, 21)).toBeNull();
  });
});
