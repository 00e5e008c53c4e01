import type { RecordedEvent } from '../../application/ports/event-store';
import { REPORT_EVENT_TYPES, type StatisticsReportGenerated } from '../../domain/statistics/reports';
import { UPLOAD_EVENT_TYPES, type UploadsCounted } from '../../domain/statistics/uploads';
import type { Projection, ProjectionContext } from '../runner/projection';
import { GRAINS, levelOf, parentRegion, periodOf, regionChain } from './buckets';
import { originDueProjection, originDueReadModelIndexes } from './origin-due.projection';

/**
 * The statistics' side read models, apart from the `statistics` projection so that neither rebuilds the other:
 *  - `statistics_reports`: one document per generated report (统计报表), listed by period and region;
 *  - `stats_uploads` / `stats_upload_clients`: 数据传输监控 — items, valid, problems and resent, by day /
 *    month / all time, per region of the uploading client (country → county) and per client;
 *  - `stats_origin_due` / `stats_origin_memo`: origin records per region by refresh due day (origin-due.projection.ts).
 */
export const STATISTICS_REPORTS = 'statistics_reports';
export const STATS_UPLOADS = 'stats_uploads';
export const STATS_UPLOAD_CLIENTS = 'stats_upload_clients';

type Counters = Record<string, number>;

function add(into: Counters, c: Counters): void {
  for (const [k, v] of Object.entries(c)) if (v !== 0) into[k] = (into[k] ?? 0) + v;
}

export const statisticsReportsProjection: Projection = {
  name: 'statistics-reports',
  version: 1,
  handles: REPORT_EVENT_TYPES,
  collections: [STATISTICS_REPORTS],
  async apply(event: RecordedEvent, ctx: ProjectionContext) {
    const d = (event as unknown as StatisticsReportGenerated).data;
    ctx.put(STATISTICS_REPORTS, { _id: d.reportId, ...d, files: d.files.map((f) => ({ ...f })) });
  },
};

export const uploadsProjection: Projection = {
  name: 'uploads',
  version: 1,
  handles: UPLOAD_EVENT_TYPES,
  collections: [STATS_UPLOADS, STATS_UPLOAD_CLIENTS],
  async apply(event: RecordedEvent, ctx: ProjectionContext) {
    const { counts } = (event as unknown as UploadsCounted).data;
    // Gathered per document first: one interval may hold several clients of one region (the runner keeps one write per document and event).
    const docs = new Map<string, { collection: string; doc: Record<string, unknown> & { _id: string }; c: Counters }>();
    const touch = (collection: string, id: string, doc: Record<string, unknown>, c: Counters) => {
      const entry = docs.get(`${collection}/${id}`) ?? { collection, doc: { _id: id, ...doc }, c: {} };
      add(entry.c, c);
      docs.set(`${collection}/${id}`, entry);
    };
    for (const u of counts) {
      const c: Counters = { items: u.items, valid: u.valid, problems: u.problems, resent: u.resent, [`items:${u.channel}`]: u.items, [`problems:${u.channel}`]: u.problems };
      for (const [code, n] of Object.entries(u.problemCodes)) c[`problem:${code}`] = n;
      for (const grain of GRAINS) {
        const period = periodOf(grain, u.day);
        for (const region of regionChain(u.regionCode)) touch(STATS_UPLOADS, `${grain}:${period}|${region}`, { grain, period, region, level: levelOf(region), parent: parentRegion(region) }, c);
        touch(STATS_UPLOAD_CLIENTS, `${grain}:${period}|${u.clientId}`, { grain, period, clientId: u.clientId, clientRole: u.clientRole, region: u.regionCode }, c);
      }
    }
    for (const { collection, doc, c } of docs.values()) {
      const current = await ctx.get(collection, doc._id);
      const counters: Counters = { ...((current?.c as Counters | undefined) ?? {}) };
      add(counters, c);
      ctx.put(collection, { ...doc, c: counters });
    }
  },
};

export const statisticsSideProjections: readonly Projection[] = [statisticsReportsProjection, uploadsProjection, originDueProjection];

export const statisticsSideReadModelIndexes: Record<string, string[][]> = {
  statistics_reports: [['regionCode', 'kind', 'period']],
  stats_uploads: [['grain', 'region', 'period'], ['grain', 'level', 'period']],
  stats_upload_clients: [['grain', 'region', 'period']],
  ...originDueReadModelIndexes,
};
