import { gridCell, type SubjectKind } from '../../domain/data-quality';
import type { StagedWrites } from './staged-writes';

/**
 * The look-ups the duplicate rules need without scanning: points on a grid of 0.01° cells (a point's neighbours
 * within the radius are in its cell or the eight around it), and credit codes by code. Each entry keeps `seq`,
 * the log position at which it arrived: a duplicate is flagged on the newcomer, never on the first claimant.
 */
export const CELLS = 'dq_cells';
export const CLAIMS = 'dq_claims';

export interface PlacedPoint {
  key: string;
  kind: SubjectKind;
  id: string;
  name: string | null;
  entityId: string | null;
  lat: number;
  lon: number;
  seq: number;
}

interface CellDoc {
  _id: string;
  points: PlacedPoint[];
}

const cellId = (row: number, col: number) => `${row}:${col}`;

export async function placePoint(w: StagedWrites, point: PlacedPoint): Promise<void> {
  const { row, col } = gridCell(point.lat, point.lon);
  const id = cellId(row, col);
  const cell = (await w.get<CellDoc>(CELLS, id)) ?? { _id: id, points: [] };
  w.put(CELLS, { _id: id, points: [...cell.points.filter((p) => p.key !== point.key), point] });
}

export async function removePoint(w: StagedWrites, key: string, lat: number, lon: number): Promise<void> {
  const { row, col } = gridCell(lat, lon);
  const id = cellId(row, col);
  const cell = await w.get<CellDoc>(CELLS, id);
  if (!cell) return;
  const points = cell.points.filter((p) => p.key !== key);
  if (points.length === 0) w.delete(CELLS, id);
  else w.put(CELLS, { _id: id, points });
}

/** Every point in the 3 × 3 cells around (lat, lon), other than `key` itself. */
export async function pointsAround(w: StagedWrites, lat: number, lon: number, key: string): Promise<PlacedPoint[]> {
  const { row, col } = gridCell(lat, lon);
  const out: PlacedPoint[] = [];
  for (let dr = -1; dr <= 1; dr++)
    for (let dc = -1; dc <= 1; dc++) {
      const cell = await w.get<CellDoc>(CELLS, cellId(row + dr, col + dc));
      for (const p of cell?.points ?? []) if (p.key !== key) out.push(p);
    }
  return out;
}

export interface Claimant {
  key: string;
  kind: SubjectKind;
  id: string;
  name: string | null;
  seq: number;
}
interface ClaimDoc {
  _id: string;
  holders: Claimant[];
}

/** Adds a claimant of a credit code; returns every claimant after it (the newcomer included). */
export async function claim(w: StagedWrites, code: string, claimant: Claimant): Promise<Claimant[]> {
  const doc = (await w.get<ClaimDoc>(CLAIMS, code)) ?? { _id: code, holders: [] };
  const holders = [...doc.holders.filter((h) => h.key !== claimant.key), claimant].sort((a, b) => a.seq - b.seq);
  w.put(CLAIMS, { _id: code, holders });
  return holders;
}

/** Removes a claimant; returns those left. */
export async function unclaim(w: StagedWrites, code: string, key: string): Promise<Claimant[]> {
  const doc = await w.get<ClaimDoc>(CLAIMS, code);
  if (!doc) return [];
  const holders = doc.holders.filter((h) => h.key !== key);
  if (holders.length === 0) w.delete(CLAIMS, code);
  else w.put(CLAIMS, { _id: code, holders });
  return holders;
}
