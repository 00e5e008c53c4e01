import fc from 'fast-check';
import type { RecordedEvent } from '../../../../application/ports/event-store';
import type { ReadModels } from '../../../../application/ports/read-models';
import type { Filter } from '../../../../application/ports/read-store';
import { regionScoresFromFindings } from '../../../../application/data-quality/queries';
import { evaluationSources } from '../../../../application/evaluation/sources';
import { SqliteReadStore } from '../../../../infrastructure/sqlite/sqlite-read-store';
import { dataQualityProjection } from '../../../../projections/data-quality';
import { originRecordsProjection } from '../../../../projections/origin/origin-records.projection';
import { originDueProjection } from '../../../../projections/statistics';
import { BatchContext } from '../../../../projections/runner/batch-context';
import type { Projection } from '../../../../projections/runner/projection';

/**
 * The evaluation's two outside indicators read pre-aggregated documents only (application/evaluation/sources.ts):
 * the data-quality counters summed up to today, less today's findings ahead of the instant, and origin records
 * per region by due day. Given events, they must answer what the brute-force computation over the records and
 * findings themselves answers: the data-quality score from every open finding (regionScoresFromFindings), and
 * 产地信息及时率 as the two counts over `origin_records` the evaluation made before.
 */
interface LogEvent {
  type: string;
  recordedAt: string;
  data: Record<string, unknown>;
}

let store: SqliteReadStore;
let position = 0;
const models = (): ReadModels => ({
  get: (c, id) => store.get(c, id),
  getMany: (c, ids) => store.getMany(c, ids),
  find: (c, f, o) => store.find(c, f, o),
  count: (c, f) => store.count(c, f),
  search: () => Promise.reject(new Error('not used')),
});

async function fold(projection: Projection, events: LogEvent[], batchSize: number): Promise<void> {
  for (let i = 0; i < events.length; i += batchSize) {
    const ctx = new BatchContext(store, (c) => c);
    let last = position;
    for (const [k, e] of events.slice(i, i + batchSize).entries()) {
      ctx.position = last = position + i + k + 1;
      if (projection.handles.length === 0 || projection.handles.includes(e.type))
        await projection.apply({ ...e, position: ctx.position, streamId: 's', revision: 0, schemaVersion: 1, occurredAt: e.recordedAt } as unknown as RecordedEvent, ctx);
    }
    await store.applyChanges(projection.name, ctx.changes(), last);
  }
}

/** Folds the log into every projection the sources read, each cut into batches of its own size. */
async function foldAll(events: LogEvent[], batchSize: number): Promise<void> {
  await fold(dataQualityProjection, events, batchSize);
  await fold(originRecordsProjection, events, Math.max(1, batchSize - 1));
  await fold(originDueProjection, events, batchSize + 1);
  position += events.length;
}

/** What the evaluation computed before: two counts over the origin records. */
async function originByCounts(code: string, now: Date): Promise<number | null> {
  const scope: Filter = code ? { villageCode: { $prefix: code } } : {};
  const [all, onTime] = await Promise.all([store.count('origin_records', scope), store.count('origin_records', { ...scope, refreshDueAt: { $gte: now.toISOString() } })]);
  return all > 0 ? onTime / all : null;
}

/** Every region the evaluation of `region` asks about: itself and the codes one level below it that have records or findings. */
async function codesOf(region: string): Promise<string[]> {
  const next = region.length === 0 ? 2 : region.length === 2 ? 4 : region.length === 4 ? 6 : 9;
  const villages = (await store.find('origin_records', {})).map((d) => d.villageCode as string);
  const counties = (await store.find('dq_findings', {})).map((d) => d.regionCode as string);
  return [region, ...new Set([...villages, ...counties].filter((c) => c.startsWith(region) && c.length >= next).map((c) => c.slice(0, next)))];
}

async function expectSourcesEqualBruteForce(region: string, now: Date): Promise<void> {
  const sources = await evaluationSources(models(), region, now);
  const dq = await regionScoresFromFindings(models(), region, now);
  const dqScores = new Map([[dq.region.regionCode, dq.region.score], ...dq.children.map((c) => [c.regionCode, c.score] as const)]);
  for (const code of await codesOf(region)) {
    const expectedDq = dqScores.get(code);
    expect({ code, dq: await sources.dataQuality!(code) }).toEqual({ code, dq: expectedDq === null || expectedDq === undefined ? null : expectedDq / 100 });
    expect({ code, origin: await sources.originTimeliness!(code) }).toEqual({ code, origin: await originByCounts(code, now) });
  }
}

// ——— data quality: applications whose bases give findings (as in data-quality-region-scores.spec.ts) ———
const base = (baseId: string, county: string, lat: number, lon: number) => ({ baseId, name: `基地${baseId}`, regionCode: county, address: 'x', lat, lon, areaMu: 2.5, products: ['韭菜'] });
const applied = (entityId: string, county: string, at: string, far = false): LogEvent => ({
  type: 'RegistrationApplied',
  recordedAt: at,
  data: { entityId, name: `主体${entityId}`, entityType: 'cooperative', regionCode: county, address: 'x', legalRepresentative: '李四', contactPhone: '13800138000', bases: [far ? base('b1', county, 23.1291, 113.2644) : base('b1', county, 18.7482, 109.1723)], products: ['韭菜'], appliedAt: at, reviewDeadline: at },
});
const rejected = (entityId: string, at: string): LogEvent => ({ type: 'RegistrationRejected', recordedAt: at, data: { entityId, reason: 'r', rejectedAt: at, reviewerId: 'u' } });

// ——— origin records: what origin_records and the due counters read of an event ———
const actor = { userId: 'u1', orgId: 'o1', name: '采集员' };
const fields = { product: { code: 'P1', name: '韭菜' }, industry: 'planting', producerName: '张三', entityId: null, certification: [], traceMethods: [], scale: { amount: '10', unit: 'mu' }, point: { lat: '18.7', lon: '109.1' }, collector: { name: '采集员' }, marketing: null };
const place = (village: string) => ({ countyCode: village.slice(0, 6), townshipCode: village.slice(0, 9), villageCode: village });
const scope = { inScope: true };
const collected = (recordId: string, village: string, due: string, at: string): LogEvent => ({
  type: 'OriginRecordCollected',
  recordedAt: at,
  data: { ...place(village), recordId, fields, scope, channel: 'web', importId: null, row: null, fingerprint: 'f', collectedBy: actor, collectedAt: at, refreshDueAt: due, reviewState: 'pending' },
});
const changed = (recordId: string, village: string, due: string, at: string): LogEvent => ({
  type: 'OriginRecordChanged',
  recordedAt: at,
  data: { ...place(village), recordId, fields, changed: [], scope, channel: 'web', importId: null, row: null, fingerprint: 'g', changedBy: actor, changedAt: at, refreshDueAt: due, reviewState: 'pending', answeredReturn: null },
});
const refreshed = (recordId: string, village: string, due: string, at: string): LogEvent => ({
  type: 'OriginRecordRefreshed',
  recordedAt: at,
  data: { ...place(village), recordId, refreshedBy: actor, refreshedAt: at, refreshDueAt: due, reviewState: 'pending' },
});
const retired = (recordId: string, village: string, at: string): LogEvent => ({ type: 'OriginRecordRetired', recordedAt: at, data: { ...place(village), recordId, reason: 'gone', retiredBy: actor, retiredAt: at } });

const VILLAGES = ['469027100201', '469027100202', '469027105001', '460105001002', '440305002003', '440306001001'];

describe('evaluation sources from pre-aggregated documents', () => {
  beforeEach(() => {
    store = new SqliteReadStore(':memory:');
    position = 0;
  });
  afterEach(() => store.close());

  it('given findings and origin records due before, on and after the day of the instant, then both indicators equal the brute-force ones for the country, a province, a city, a county and a township', async () => {
    await foldAll(
      [
        applied('e1', '469027', '2026-03-09T10:00:00.000Z', true),
        applied('e2', '469027', '2026-03-10T01:00:00.000Z'),
        applied('e3', '460105', '2026-03-10T05:00:00.000Z', true),
        applied('e4', '440305', '2026-03-09T23:00:00.000Z'),
        applied('e5', '440305', '2026-03-11T00:30:00.000Z', true),
        rejected('e4', '2026-03-10T02:00:00.000Z'),
        collected('r1', VILLAGES[0]!, '2026-03-09T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
        collected('r2', VILLAGES[1]!, '2026-03-10T01:00:00.000Z', '2026-01-02T00:00:00.000Z'),
        collected('r3', VILLAGES[2]!, '2026-03-10T05:00:00.000Z', '2026-01-03T00:00:00.000Z'),
        collected('r4', VILLAGES[3]!, '2026-04-01T00:00:00.000Z', '2026-01-04T00:00:00.000Z'),
        collected('r5', VILLAGES[4]!, '2026-03-01T00:00:00.000Z', '2026-01-05T00:00:00.000Z'),
        // Moved to another county and due later; refreshed onto today; retired (still counted).
        changed('r5', VILLAGES[5]!, '2026-03-10T03:00:00.000Z', '2026-02-01T00:00:00.000Z'),
        refreshed('r1', VILLAGES[0]!, '2026-03-10T02:59:59.999Z', '2026-02-02T00:00:00.000Z'),
        retired('r4', VILLAGES[3]!, '2026-02-03T00:00:00.000Z'),
      ],
      2,
    );
    for (const now of ['2026-03-10T03:00:00.000Z', '2026-03-10T00:00:00.000Z', '2026-03-11T00:00:00.000Z', '2026-03-09T12:00:00.000Z'])
      for (const region of ['', '46', '4690', '44', '469027', '469027100']) await expectSourcesEqualBruteForce(region, new Date(now));
    // Not vacuous: on time is a share strictly between 0 and 1 for the country at the first instant.
    const national = await (await evaluationSources(models(), '', new Date('2026-03-10T03:00:00.000Z'))).originTimeliness!('');
    expect(national).toBeGreaterThan(0);
    expect(national).toBeLessThan(1);
  });

  it('a refresh of a record never collected counts nothing, and a region without records or findings has null', async () => {
    await foldAll([refreshed('r9', VILLAGES[0]!, '2026-03-10T02:00:00.000Z', '2026-02-02T00:00:00.000Z')], 1);
    const sources = await evaluationSources(models(), '', new Date('2026-03-10T00:00:00.000Z'));
    expect(await sources.originTimeliness!('')).toBeNull();
    expect(await sources.originTimeliness!('46')).toBeNull();
    expect(await sources.dataQuality!('46')).toBeNull();
  });

  it('property: for any origin records, changes, refreshes and batch sizes, 产地信息及时率 equals the counts over the records at any instant', async () => {
    const day = fc.integer({ min: 8, max: 12 }).map((d) => `2026-03-${String(d).padStart(2, '0')}`);
    const instant = fc.tuple(day, fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 30, 59)).map(([d, h, m]) => `${d}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00.000Z`);
    const step = fc.record({ kind: fc.constantFrom('collect', 'change', 'refresh', 'retire'), record: fc.integer({ min: 1, max: 6 }), village: fc.constantFrom(...VILLAGES), due: instant });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), fc.integer({ min: 1, max: 7 }), fc.array(instant, { minLength: 1, maxLength: 3 }), async (steps, batchSize, instants) => {
        store.close();
        store = new SqliteReadStore(':memory:');
        position = 0;
        const at = '2026-01-01T00:00:00.000Z';
        const events = steps.map((s) => {
          const id = `r${s.record}`;
          if (s.kind === 'collect') return collected(id, s.village, s.due, at);
          if (s.kind === 'change') return changed(id, s.village, s.due, at);
          if (s.kind === 'refresh') return refreshed(id, s.village, s.due, at);
          return retired(id, s.village, at);
        });
        await foldAll(events, batchSize);
        for (const now of instants) {
          const sources = await evaluationSources(models(), '', new Date(now));
          for (const code of ['', '46', '44', '4690', '469027', '469027100', '440306001']) expect({ code, now, v: await sources.originTimeliness!(code) }).toEqual({ code, now, v: await originByCounts(code, new Date(now)) });
        }
      }),
      { numRuns: 60 },
    );
  });
});
