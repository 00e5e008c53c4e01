import fc from 'fast-check';
import { CN_CALENDAR_2025, CN_CALENDAR_2026, CN_HOLIDAY_CALENDAR, CN_HOLIDAYS } from '../../../../domain/shared/holidays-cn';
import {
  addWorkingDays,
  cstDateString,
  EMPTY_CALENDAR,
  isWorkingDay,
  workingDaysBetween,
} from '../../../../domain/shared/working-days';

const cst = (isoLocal: string) => new Date(`${isoLocal}+08:00`);

describe('addWorkingDays', () => {
  it('counts from the next day and ends at 23:59:59.999 CST', () => {
    // Monday 2026-03-09 10:00 CST + 5 working days → Monday 2026-03-16 end of day.
    const end = addWorkingDays(cst('2026-03-09T10:00:00'), 5, EMPTY_CALENDAR);
    expect(end.toISOString()).toBe('2026-03-16T15:59:59.999Z');
    expect(cstDateString(end)).toBe('2026-03-16');
  });

  it('uses the CST day, not the UTC day, of the starting instant', () => {
    // 2026-03-13 Friday 07:00 CST is still Thursday in UTC.
    const end = addWorkingDays(new Date('2026-03-12T23:00:00Z'), 1, EMPTY_CALENDAR);
    expect(cstDateString(end)).toBe('2026-03-16'); // next working day after Friday is Monday
  });

  it('skips the 2026 Spring Festival and counts its make-up Saturdays', () => {
    // Applied Friday 2026-02-13: Feb 14 (Sat, make-up) is day 1; Feb 15–23 off; Feb 24, 25, 26, 27 are days 2–5.
    const end = addWorkingDays(cst('2026-02-13T09:00:00'), 5, CN_HOLIDAYS);
    expect(cstDateString(end)).toBe('2026-02-27');
    expect(workingDaysBetween(cst('2026-02-13T09:00:00'), end, CN_HOLIDAYS)).toBe(5);
  });

  it('skips 国庆 2025 (Oct 1–8) and counts Sep 28 / Oct 11', () => {
    // Friday 2025-09-26: Sep 28 (Sun, make-up), Sep 29, Sep 30, [Oct 1–8 off], Oct 9, Oct 10.
    expect(cstDateString(addWorkingDays(cst('2025-09-26T12:00:00'), 5, CN_HOLIDAYS))).toBe('2025-10-10');
    // One more is Saturday Oct 11, a make-up working day.
    expect(cstDateString(addWorkingDays(cst('2025-09-26T12:00:00'), 6, CN_HOLIDAYS))).toBe('2025-10-11');
  });

  it('n = 0 ends the same CST day; negative or fractional n is refused', () => {
    expect(addWorkingDays(cst('2026-03-14T08:00:00'), 0, EMPTY_CALENDAR).toISOString()).toBe('2026-03-14T15:59:59.999Z');
    expect(() => addWorkingDays(cst('2026-03-14T08:00:00'), -1, EMPTY_CALENDAR)).toThrow(RangeError);
    expect(() => addWorkingDays(cst('2026-03-14T08:00:00'), 1.5, EMPTY_CALENDAR)).toThrow(RangeError);
  });

  it('workingDaysBetween is negative when the dates are reversed', () => {
    const a = cst('2026-03-09T10:00:00');
    const b = cst('2026-03-20T10:00:00');
    expect(workingDaysBetween(a, b, EMPTY_CALENDAR)).toBe(9);
    expect(workingDaysBetween(b, a, EMPTY_CALENDAR)).toBe(-9);
  });
});

describe('CN holiday calendar', () => {
  const weekday = (iso: string) => new Date(`${iso}T00:00:00Z`).getUTCDay();

  it('has every make-up working day on a weekend', () => {
    for (const d of CN_HOLIDAY_CALENDAR.makeupWorkdays) expect([0, 6]).toContain(weekday(d));
  });

  it('never lists a day as both off and a make-up working day', () => {
    const off = new Set(CN_HOLIDAY_CALENDAR.holidays);
    expect(CN_HOLIDAY_CALENDAR.makeupWorkdays.filter((d) => off.has(d))).toEqual([]);
  });

  it('matches the State Council notices (counts per year and key days)', () => {
    expect(CN_CALENDAR_2025.holidays).toHaveLength(1 + 8 + 3 + 5 + 3 + 8);
    expect(CN_CALENDAR_2026.holidays).toHaveLength(3 + 9 + 3 + 5 + 3 + 3 + 7);
    expect(isWorkingDay('2026-01-04', CN_HOLIDAYS)).toBe(true); // Sunday make-up
    expect(isWorkingDay('2026-02-23', CN_HOLIDAYS)).toBe(false); // Monday, 正月初七
    expect(isWorkingDay('2026-05-09', CN_HOLIDAYS)).toBe(true); // Saturday make-up
    expect(isWorkingDay('2026-09-20', CN_HOLIDAYS)).toBe(true); // Sunday make-up
    expect(isWorkingDay('2026-10-07', CN_HOLIDAYS)).toBe(false);
    expect(isWorkingDay('2026-10-08', CN_HOLIDAYS)).toBe(true);
    expect(isWorkingDay('2025-04-27', CN_HOLIDAYS)).toBe(true);
    expect(isWorkingDay('2025-06-02', CN_HOLIDAYS)).toBe(false);
  });
});

describe('working-day properties', () => {
  const instant = fc.date({ min: new Date('2024-06-01T00:00:00Z'), max: new Date('2027-06-01T00:00:00Z'), noInvalidDate: true });

  it('never lands on a non-working day, always ends 23:59:59.999 CST, and inverts workingDaysBetween', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 40 }), (from, n) => {
        const end = addWorkingDays(from, n, CN_HOLIDAYS);
        expect(isWorkingDay(end, CN_HOLIDAYS)).toBe(true);
        expect(new Date(end.getTime() + 1).toISOString().slice(11)).toBe('16:00:00.000Z');
        expect(workingDaysBetween(from, end, CN_HOLIDAYS)).toBe(n);
      }),
    );
  });

  it('is monotonic in n and in the starting instant', () => {
    fc.assert(
      fc.property(instant, instant, fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), (a, b, n, m) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(addWorkingDays(early, n, CN_HOLIDAYS).getTime()).toBeLessThanOrEqual(addWorkingDays(late, n, CN_HOLIDAYS).getTime());
        const [few, many] = n <= m ? [n, m] : [m, n];
        expect(addWorkingDays(a, few, CN_HOLIDAYS).getTime()).toBeLessThanOrEqual(addWorkingDays(a, many, CN_HOLIDAYS).getTime());
        if (few < many) {
          expect(addWorkingDays(a, few, CN_HOLIDAYS).getTime()).toBeLessThan(addWorkingDays(a, many, CN_HOLIDAYS).getTime());
        }
      }),
    );
  });
});
