/**
 * Date ranges of the statistics queries (whole CST days, inclusive): how a range splits into whole months
 * (one month bucket each) and the days of partly covered months, and the ranges it is compared with —
 * the same dates a year before (同比, YoY) and the period of equal length just before (环比, MoM).
 */
export interface DayRange {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const toTime = (day: string) => Date.parse(`${day}T00:00:00Z`);
const toDay = (t: number) => new Date(t).toISOString().slice(0, 10);

export function addDays(day: string, n: number): string {
  return toDay(toTime(day) + n * DAY_MS);
}
export function lastDayOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return toDay(Date.UTC(y, m, 0));
}
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}
export function daysIn(range: DayRange): number {
  return Math.round((toTime(range.to) - toTime(range.from)) / DAY_MS) + 1;
}

/** The months a range touches, in order. */
export function monthsOf(range: DayRange): string[] {
  const out: string[] = [];
  for (let m = range.from.slice(0, 7); m <= range.to.slice(0, 7); m = addMonths(m, 1)) out.push(m);
  return out;
}

/** Whole months inside the range, and the day ranges of the months it covers only in part. */
export function splitRange(range: DayRange): { months: string[]; days: DayRange[] } {
  const months: string[] = [];
  const days: DayRange[] = [];
  for (const m of monthsOf(range)) {
    const first = `${m}-01`;
    const last = lastDayOfMonth(m);
    const from = range.from > first ? range.from : first;
    const to = range.to < last ? range.to : last;
    if (from === first && to === last) months.push(m);
    else days.push({ from, to });
  }
  return { months, days };
}

function isWholeMonths(range: DayRange): boolean {
  return range.from.endsWith('-01') && range.to === lastDayOfMonth(range.to.slice(0, 7));
}

/** 环比: the period just before, as many whole months as the range has (or as many days). */
export function previousPeriod(range: DayRange): DayRange {
  if (isWholeMonths(range)) {
    const n = monthsOf(range).length;
    const from = addMonths(range.from.slice(0, 7), -n);
    return { from: `${from}-01`, to: lastDayOfMonth(addMonths(range.to.slice(0, 7), -n)) };
  }
  const n = daysIn(range);
  return { from: addDays(range.from, -n), to: addDays(range.from, -1) };
}

/** 同比: the same dates one year earlier (29 February becomes the 28th). */
export function yearBefore(range: DayRange): DayRange {
  const shift = (day: string) => {
    const y = String(Number(day.slice(0, 4)) - 1);
    const md = day.slice(5);
    return md === '02-29' ? `${y}-02-28` : `${y}-${md}`;
  };
  if (isWholeMonths(range)) return { from: shift(range.from), to: lastDayOfMonth(shift(range.to).slice(0, 7)) };
  return { from: shift(range.from), to: shift(range.to) };
}

/** Relative change, e.g. 0.25 for +25 %; null when there is nothing to compare with. */
export function change(current: number, before: number): number | null {
  if (before === 0) return null;
  return (current - before) / before;
}
