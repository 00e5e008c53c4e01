/**
 * Working days in China Standard Time (UTC+8, no daylight saving).
 * A working day is Monday–Friday unless the calendar lists it as a holiday, or a weekend day the
 * calendar lists as a make-up working day (调休上班).
 *
 * Counting follows the usual rule for legal periods (民法典 第二百零一条): the day on which the
 * period starts is not counted, so "within 5 working days of applying" ends at the close of the
 * 5th working day *after* the application day.
 */
export interface HolidayCalendar {
  /** YYYY-MM-DD days off (statutory holidays and the weekdays shifted into them). */
  holidays: string[];
  /** YYYY-MM-DD weekend days that are working days (调休). */
  makeupWorkdays: string[];
}

export const EMPTY_CALENDAR: HolidayCalendar = { holidays: [], makeupWorkdays: [] };

const CST_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** No real calendar has a year of holidays; this only stops a broken calendar from looping forever. */
const MAX_SCAN_DAYS = 3660;

/** Days since the epoch of the CST calendar day that contains the instant. */
function cstDayNumber(instant: Date): number {
  const t = instant.getTime();
  if (Number.isNaN(t)) throw new RangeError('invalid date');
  return Math.floor((t + CST_OFFSET_MS) / DAY_MS);
}

function dayNumberToIso(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The CST calendar date (YYYY-MM-DD) of an instant. */
export function cstDateString(instant: Date): string {
  return dayNumberToIso(cstDayNumber(instant));
}

/** The instant 23:59:59.999 CST on the given CST calendar day. */
function endOfCstDay(day: number): Date {
  return new Date((day + 1) * DAY_MS - CST_OFFSET_MS - 1);
}

/** Prepared lookups; a calendar is usually reused for many calls, but sets are cheap to build. */
function lookups(calendar: HolidayCalendar): { off: Set<string>; on: Set<string> } {
  return { off: new Set(calendar.holidays), on: new Set(calendar.makeupWorkdays) };
}

function isWorkingDayNumber(day: number, l: { off: Set<string>; on: Set<string> }): boolean {
  const iso = dayNumberToIso(day);
  if (l.off.has(iso)) return false;
  if (l.on.has(iso)) return true;
  const weekday = new Date(day * DAY_MS).getUTCDay(); // day numbers are CST days, so UTC weekday is the CST weekday
  return weekday >= 1 && weekday <= 5;
}

/** Whether a CST day is a working day. Accepts 'YYYY-MM-DD' (a CST calendar date) or an instant. */
export function isWorkingDay(date: string | Date, calendar: HolidayCalendar): boolean {
  const day = typeof date === 'string' ? isoToDayNumber(date) : cstDayNumber(date);
  return isWorkingDayNumber(day, lookups(calendar));
}

function isoToDayNumber(iso: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new RangeError(`not a YYYY-MM-DD date: ${iso}`);
  const t = Date.parse(`${iso}T00:00:00Z`);
  if (Number.isNaN(t) || dayNumberToIso(t / DAY_MS) !== iso) throw new RangeError(`not a calendar date: ${iso}`);
  return t / DAY_MS;
}

/**
 * The end (23:59:59.999 CST) of the n-th working day after the CST day containing `from`.
 * n = 0 gives the end of `from`'s own CST day.
 */
export function addWorkingDays(from: Date, n: number, calendar: HolidayCalendar): Date {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  const l = lookups(calendar);
  let day = cstDayNumber(from);
  let counted = 0;
  let scanned = 0;
  while (counted < n) {
    day += 1;
    if (++scanned > MAX_SCAN_DAYS + n * 7) throw new RangeError('holiday calendar leaves no working days');
    if (isWorkingDayNumber(day, l)) counted += 1;
  }
  return endOfCstDay(day);
}

/**
 * Working days in the CST days after `from`'s day up to and including `to`'s day.
 * The inverse of addWorkingDays: workingDaysBetween(d, addWorkingDays(d, n)) === n.
 * Negative when `to` is before `from`.
 */
export function workingDaysBetween(from: Date, to: Date, calendar: HolidayCalendar): number {
  const a = cstDayNumber(from);
  const b = cstDayNumber(to);
  if (b < a) return -workingDaysBetween(to, from, calendar);
  const l = lookups(calendar);
  let count = 0;
  for (let day = a + 1; day <= b; day++) if (isWorkingDayNumber(day, l)) count += 1;
  return count;
}
