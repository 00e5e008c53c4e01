import type { RecordedEvent } from '../../../application/ports/event-store';
import type { ReadModels } from '../../../application/ports/read-models';
import { regionScores, regionScoresFromFindings } from '../../../application/data-quality/queries';
import { SqliteReadStore } from '../../../infrastructure/sqlite/sqlite-read-store';
import { dataQualityProjection } from '../../../projections/data-quality';
import { BatchContext } from '../../../projections/runner/batch-context';

/**
 * 数据质量评分 of the country, a province and a city come from the projection's per-region counters
 * (dq_region_scores: records checked, open findings by day of first sighting); they must equal the score
 * computed from the findings themselves at any instant — findings of the days before, of today before and after
 * the instant, and of later days (a stale-record finding is written ahead) — also after a withdrawal resolves some.
 */
const store = new SqliteReadStore(':memory:');
afterAll(() => store.close());

const models: ReadModels = {
  get: (c, id) => store.get(c, id),
  getMany: (c, ids) => store.getMany(c, ids),
  find: (c, f, o) => store.find(c, f, o),
  count: (c, f) => store.count(c, f),
  search: () => Promise.reject(new Error('not used')),
};

const base = (baseId: string, county: string, lat: number, lon: number) => ({ baseId, name: `基地${baseId}`, regionCode: county, address: 'x', lat, lon, areaMu: 2.5, products: ['韭菜'] });
/** An application whose base is given with 4 decimals (a precision finding) and, for `far`, outside its province. */
const applied = (entityId: string, county: string, at: string, far = false) => ({
  type: 'RegistrationApplied',
  recordedAt: at,
  data: { entityId, name: `主体${entityId}`, entityType: 'cooperative', regionCode: county, address: 'x', legalRepresentative: '李四', contactPhone: '13800138000', bases: [far ? base('b1', county, 23.1291, 113.2644) : base('b1', county, 18.7482, 109.1723)], products: ['韭菜'], appliedAt: at, reviewDeadline: at },
});
const rejected = (entityId: string, at: string) => ({ type: 'RegistrationRejected', recordedAt: at, data: { entityId, reason: 'r', rejectedAt: at, reviewerId: 'u' } });

async function fold(events: { type: string; recordedAt: string; data: Record<string, unknown> }[], batchSize: number): Promise<void> {
  let position = 0;
  for (let i = 0; i < events.length; i += batchSize) {
    const ctx = new BatchContext(store, (c) => c);
    for (const e of events.slice(i, i + batchSize)) {
      ctx.position = ++position;
      await dataQualityProjection.apply({ ...e, position, streamId: 's', revision: 0, schemaVersion: 1, occurredAt: e.recordedAt } as unknown as RecordedEvent, ctx);
    }
    await store.applyChanges('data-quality', ctx.changes(), position);
  }
}

describe('data-quality scores per region from counters', () => {
  it('given findings before, on and after the day of the instant (some resolved by a withdrawal), then the country’s, a province’s and a city’s scores equal those from the findings', async () => {
    await fold(
      [
        applied('e1', '469027', '2026-03-09T10:00:00.000Z', true),
        applied('e2', '469027', '2026-03-10T01:00:00.000Z'),
        applied('e3', '460105', '2026-03-10T05:00:00.000Z', true),
        applied('e4', '440305', '2026-03-09T23:00:00.000Z'),
        applied('e5', '440305', '2026-03-11T00:30:00.000Z', true),
        rejected('e4', '2026-03-10T02:00:00.000Z'),
      ],
      2,
    );
    const now = new Date('2026-03-10T03:00:00.000Z');
    for (const region of ['', '46', '4690', '44']) {
      const counted = await regionScores(models, region, now);
      expect(counted).toEqual(await regionScoresFromFindings(models, region, now));
      expect(counted.region.subjects).toBeGreaterThan(0);
    }
    // The instant matters: at the start of the next day, e3's findings are in and e5's are not yet.
    const national = await regionScores(models, '', now);
    const later = await regionScores(models, '', new Date('2026-03-11T00:00:00.000Z'));
    expect(later).toEqual(await regionScoresFromFindings(models, '', new Date('2026-03-11T00:00:00.000Z')));
    expect(later.region.open.high).toBe(national.region.open.high + 1);
  });
});
