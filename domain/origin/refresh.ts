import type { Industry, MarketingWindow } from './types';

/**
 * 采集频次 (seed 003 §五(四)): planting is collected every crop cycle (每茬都要采集), so a planting record is due again
 * when its cycle ends (下市时间); livestock and aquatic turn over often and are collected monthly (按月采集和更新).
 * Times are China Standard Time (UTC+8): a cycle ending 2024-06 is due at the end of 30 June, Beijing time.
 */
const CST_OFFSET_MS = 8 * 3600 * 1000;

export function endOfPeriodCst(period: string): Date {
  const [y, m, d] = period.split('-').map(Number) as [number, number, number | undefined];
  // The first instant after the period, in CST, minus one millisecond.
  const nextStartUtc = d === undefined ? Date.UTC(y, m, 1) : Date.UTC(y, m - 1, d + 1);
  return new Date(nextStartUtc - CST_OFFSET_MS - 1);
}

/** One calendar month on (the 31st of January is due on the last day of February). */
export function addOneMonth(at: Date): Date {
  const cst = new Date(at.getTime() + CST_OFFSET_MS);
  const y = cst.getUTCFullYear();
  const m = cst.getUTCMonth();
  const lastDayNext = new Date(Date.UTC(y, m + 2, 0)).getUTCDate();
  const day = Math.min(cst.getUTCDate(), lastDayNext);
  const next = Date.UTC(y, m + 1, day, cst.getUTCHours(), cst.getUTCMinutes(), cst.getUTCSeconds(), cst.getUTCMilliseconds());
  return new Date(next - CST_OFFSET_MS);
}

export function refreshDueAt(industry: Industry, marketing: MarketingWindow | null, collectedAt: Date): string {
  if (industry === 'planting' && marketing) {
    const cycleEnd = endOfPeriodCst(marketing.to);
    // A cycle already over when collected (a late entry) is due a month on, not in the past.
    return (cycleEnd.getTime() > collectedAt.getTime() ? cycleEnd : addOneMonth(collectedAt)).toISOString();
  }
  return addOneMonth(collectedAt).toISOString();
}

/** 更新不及时: the record was not refreshed by its due time (computed against a clock passed in). */
export function isStale(due: string, now: Date): boolean {
  return now.getTime() > Date.parse(due);
}
