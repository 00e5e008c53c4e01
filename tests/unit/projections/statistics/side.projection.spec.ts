import type { RecordedEvent } from '../../../../application/ports/event-store';
import type { ReadDoc, ReadStore } from '../../../../application/ports/read-store';
import { BatchContext } from '../../../../projections/runner/batch-context';
import type { Projection } from '../../../../projections/runner/projection';
import { statisticsReportsProjection, uploadsProjection } from '../../../../projections/statistics';
import type { UploadCount } from '../../../../domain/statistics/uploads';

/** Given UploadsCounted / StatisticsReportGenerated events, then the side read models' documents. */
async function fold(projection: Projection, events: { type: string; data: object }[], batchSize = 2): Promise<Map<string, ReadDoc>> {
  const docs = new Map<string, ReadDoc>();
  const store = { get: async (c: string, id: string) => structuredClone(docs.get(`${c}/${id}`) ?? null) } as unknown as ReadStore;
  let position = 0;
  for (let i = 0; i < events.length; i += batchSize) {
    const ctx = new BatchContext(store, (c) => c);
    for (const e of events.slice(i, i + batchSize)) {
      ctx.position = ++position;
      await projection.apply({ ...e, position, streamId: 's', revision: 0, occurredAt: '2026-11-20T00:00:00Z' } as unknown as RecordedEvent, ctx);
    }
    for (const ch of ctx.changes()) if (ch.op === 'put') docs.set(`${ch.collection}/${ch.doc._id}`, ch.doc);
  }
  return docs;
}
const count = (over: Partial<UploadCount>): UploadCount => ({ day: '2026-11-20', channel: 'batch', clientId: 'platform-46', clientRole: 'province-admin', regionCode: '46', items: 10, valid: 7, problems: 2, resent: 1, problemCodes: { VALIDATION_FAILED: 2 }, ...over });
const counted = (...counts: UploadCount[]) => ({ type: 'UploadsCounted', data: { from: 'a', to: 'b', counts } });

describe('uploads projection (数据传输监控)', () => {
  it('adds intervals up per region (country → county) and client, by day, month and all time', async () => {
    const docs = await fold(uploadsProjection, [
      counted(count({}), count({ clientId: 'ent-1', clientRole: 'producer', regionCode: '469027', items: 3, valid: 3, problems: 0, resent: 0, problemCodes: {} })),
      counted(count({ day: '2026-11-21', channel: 'origin-import', items: 5, valid: 4, problems: 1, resent: 0, problemCodes: { ROW_REFUSED: 1 } })),
      counted(count({ day: '2026-12-01', items: 1, valid: 1, problems: 0, resent: 0, problemCodes: {} })),
    ]);
    const c = (id: string) => docs.get(id)?.c;
    expect(c('stats_uploads/month:2026-11|')).toEqual({ items: 18, valid: 14, problems: 3, resent: 1, 'items:batch': 13, 'problems:batch': 2, 'items:origin-import': 5, 'problems:origin-import': 1, 'problem:VALIDATION_FAILED': 2, 'problem:ROW_REFUSED': 1 });
    expect(c('stats_uploads/all:all|46')).toMatchObject({ items: 19, valid: 15 });
    // The producer's county and the levels above it; the province-level platform only at the province and the country.
    expect(c('stats_uploads/day:2026-11-20|469027')).toMatchObject({ items: 3, valid: 3 });
    expect(c('stats_uploads/day:2026-11-20|4690')).toMatchObject({ items: 3 });
    expect(c('stats_uploads/day:2026-11-20|46')).toMatchObject({ items: 13, valid: 10, problems: 2, resent: 1 });
    expect(docs.get('stats_uploads/day:2026-11-20|469027')).toMatchObject({ level: 3, parent: '4690' });
    expect(docs.get('stats_upload_clients/month:2026-11|platform-46')).toMatchObject({ clientRole: 'province-admin', region: '46', c: { items: 15, valid: 11, problems: 3, resent: 1 } });
    expect(c('stats_upload_clients/month:2026-12|platform-46')).toMatchObject({ items: 1 });
  });
});

describe('statistics-reports projection (统计报表)', () => {
  it('lists each generated report once, with its files', async () => {
    const data = { reportId: 'monthly-2026-11-46', kind: 'monthly', period: '2026-11', from: '2026-11-01', to: '2026-11-30', regionCode: '46', regionName: '海南省', title: 't', files: [{ format: 'xlsx', sha256: 'a'.repeat(64), size: 10, contentType: 'x' }], recipients: 2, generatedAt: '2026-12-01T16:00:00Z' };
    const docs = await fold(statisticsReportsProjection, [{ type: 'StatisticsReportGenerated', data }]);
    expect(docs.get('statistics_reports/monthly-2026-11-46')).toMatchObject({ ...data, _id: 'monthly-2026-11-46' });
  });
});
