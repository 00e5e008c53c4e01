import { ORIGIN_RECORD_EVENT_TYPES, type OriginRecordEvent } from '../../domain/origin';
import type { Projection } from '../runner/projection';

/** Width of the map grid, in degrees: a 0.3° map view covers 9–16 cells. */
export const POINT_CELL_DEGREES = 0.1;

/** The grid cell of a point: `row:col` of POINT_CELL_DEGREES squares (row from the latitude, col from the longitude). */
export function pointCell(lat: number, lon: number): string {
  return `${Math.floor(lat / POINT_CELL_DEGREES)}:${Math.floor(lon / POINT_CELL_DEGREES)}`;
}

/** The cells a bbox touches, or null when there are more than `max` (a country-wide view: the lat/lon range is used alone). */
export function cellsOfBbox(minLon: number, minLat: number, maxLon: number, maxLat: number, max = 400): string[] | null {
  const r0 = Math.floor(minLat / POINT_CELL_DEGREES);
  const r1 = Math.floor(maxLat / POINT_CELL_DEGREES);
  const c0 = Math.floor(minLon / POINT_CELL_DEGREES);
  const c1 = Math.floor(maxLon / POINT_CELL_DEGREES);
  if (r1 < r0 || c1 < c0 || (r1 - r0 + 1) * (c1 - c0 + 1) > max) return null;
  const out: string[] = [];
  for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) out.push(`${r}:${c}`);
  return out;
}

/**
 * `origin_points`: the 一张图 read model — per live origin record only what the map draws (id, product, the point as
 * kept and as numbers, review state, 规模以上) and what its filters test (village code for every region level,
 * entity, certification, trace methods, scale, last change), plus its grid cell, so a map view reads the few
 * hundred bytes of each point in its cells through one index instead of whole records (origin_records holds the
 * full record for the table and the record page). A retired record leaves the map.
 */
export const originPointsProjection: Projection = {
  name: 'origin-points',
  version: 1,
  handles: ORIGIN_RECORD_EVENT_TYPES,
  collections: ['origin_points'],
  async apply(recorded, ctx) {
    const event = { type: recorded.type, data: recorded.data } as OriginRecordEvent;
    const id = event.data.recordId;
    const at = recorded.occurredAt;
    switch (event.type) {
      case 'OriginRecordCollected':
      case 'OriginRecordChanged': {
        const d = event.data;
        const f = d.fields;
        const lat = Number(f.point.lat);
        const lon = Number(f.point.lon);
        ctx.put('origin_points', {
          _id: id,
          product: f.product.code,
          latText: f.point.lat,
          lonText: f.point.lon,
          lat,
          lon,
          cell: pointCell(lat, lon),
          villageCode: d.villageCode,
          entityId: f.entityId,
          certification: f.certification,
          traceMethods: f.traceMethods,
          scaleAmount: Number(f.scale.amount),
          inScope: d.scope.inScope,
          reviewState: d.reviewState,
          updatedAt: at,
          retired: false,
        });
        return;
      }
      case 'OriginRecordRetired':
        ctx.delete('origin_points', id);
        return;
      default: {
        const doc = await ctx.get('origin_points', id);
        if (!doc) return;
        const reviewState = event.type === 'OriginRecordApproved' ? 'approved' : event.type === 'OriginRecordReturned' ? 'returned' : doc.reviewState;
        ctx.put('origin_points', { ...doc, reviewState, updatedAt: at });
      }
    }
  },
};

export const originPointsReadModelIndexes: Record<string, string[][]> = {
  origin_points: [['cell'], ['villageCode'], ['lat', 'lon']],
};
