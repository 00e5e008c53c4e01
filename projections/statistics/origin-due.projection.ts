import type { RecordedEvent } from '../../application/ports/event-store';
import { ORIGIN_RECORD_EVENT_TYPES, type OriginRecordEvent } from '../../domain/origin';
import type { Projection, ProjectionContext } from '../runner/projection';

/**
 * 产地信息及时率 pre-aggregated (issue 14): origin records per region by the UTC day their refresh falls due, so
 * that the evaluation reads one document per region instead of counting `origin_records` twice per row (on a
 * large ledger the national evaluation's rows were dozens of counts over the records).
 *  - `stats_origin_due`: one document per region prefix of a record's village code — the country '' and the
 *    first 2, 4, 6 and 9 digits (province, city, county, township: the regions an evaluation has rows for) —
 *    with counters `c[<due day>]` (the first 10 characters of `refreshDueAt`; `none` when they are not a date).
 *    Records on time at an instant are those of the days after today plus today's due at or after the instant
 *    (application/evaluation/origin-timeliness.ts reads today's from the records themselves).
 *  - `stats_origin_memo`: each record's village code and due time as counted, to move its count when they change.
 * It follows `origin_records` (projections/origin/origin-records.projection.ts): a record counts from its
 * collection on, a change may move it to another village and due time, a refresh moves its due time (of a record
 * collected before), retirement keeps it counted (the records' count did too).
 */
export const STATS_ORIGIN_DUE = 'stats_origin_due';
export const STATS_ORIGIN_MEMO = 'stats_origin_memo';

/** The region prefixes a village code counts at. */
export const ORIGIN_DUE_PREFIXES = [0, 2, 4, 6, 9] as const;

export function originDuePrefixes(villageCode: string): string[] {
  return ORIGIN_DUE_PREFIXES.filter((n) => villageCode.length >= n).map((n) => villageCode.slice(0, n));
}

export const originDueId = (region: string) => `r:${region}`;

/**
 * The counter a due time counts under: its UTC day (the first 10 characters of an ISO instant). Anything else —
 * not a string, or a string not starting with a date, which domain/origin/refresh.ts never makes — counts under
 * `none`, never on time (a counter name must not be empty nor hold '.' or '$': the read store refuses those).
 */
export const dueKey = (refreshDueAt: unknown): string => {
  if (typeof refreshDueAt !== 'string') return 'none';
  const day = refreshDueAt.slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : 'none';
};

/** What a record is counted under: its village code (a non-string counts for the country only) and due key. */
interface DueMemo {
  village: string;
  key: string;
}

function count(ctx: ProjectionContext, memo: DueMemo, delta: 1 | -1): void {
  if (!ctx.inc) throw new Error("statistics-origin: the context cannot increment (the runner's BatchContext can)");
  for (const region of originDuePrefixes(memo.village)) ctx.inc(STATS_ORIGIN_DUE, originDueId(region), { [memo.key]: delta }, { init: { region, level: region.length } });
}

export const originDueProjection: Projection = {
  name: 'statistics-origin',
  version: 1,
  handles: ORIGIN_RECORD_EVENT_TYPES,
  collections: [STATS_ORIGIN_DUE, STATS_ORIGIN_MEMO],
  async apply(recorded: RecordedEvent, ctx: ProjectionContext) {
    const event = { type: recorded.type, data: recorded.data } as OriginRecordEvent;
    if (event.type !== 'OriginRecordCollected' && event.type !== 'OriginRecordChanged' && event.type !== 'OriginRecordRefreshed') return;
    const id = event.data.recordId;
    const held = await ctx.get(STATS_ORIGIN_MEMO, id);
    const before = held ? (held.memo as DueMemo) : null;
    // A refresh of a record never collected changes nothing, as in origin_records.
    if (event.type === 'OriginRecordRefreshed' && !before) return;
    const village = event.type === 'OriginRecordRefreshed' ? before!.village : typeof event.data.villageCode === 'string' ? event.data.villageCode : '';
    const after: DueMemo = { village, key: dueKey(event.data.refreshDueAt) };
    if (before && before.village === after.village && before.key === after.key) return;
    if (before) count(ctx, before, -1);
    count(ctx, after, 1);
    ctx.put(STATS_ORIGIN_MEMO, { _id: id, memo: after });
  },
};

export const originDueReadModelIndexes: Record<string, string[][]> = {
  stats_origin_due: [['level', 'region']],
};
