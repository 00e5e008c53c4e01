/**
 * 责令限期整改: an order to correct, due by the end of its deadline day in China Standard Time (UTC+8, no
 * daylight saving). "By 2026-12-31" means the whole of that day counts; the order is late from the first
 * instant of the next day, 2026-12-31T16:00:00Z.
 */
const CST_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

export function rectificationDueAt(deadline: string): string {
  return new Date(Date.parse(`${deadline}T00:00:00Z`) - CST_OFFSET_MS + DAY_MS).toISOString();
}

/** The calendar date (CST) of an instant, YYYY-MM-DD. */
export function cstDateOf(at: Date): string {
  return new Date(at.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** An order's standing: pending until verified (整改复查合格) or until its deadline passes. */
export type RectificationStatus = 'pending' | 'overdue' | 'complied';

export interface RectificationOrder {
  seq: number;
  deadline: string;
  dueAt: string;
  status: RectificationStatus;
}
