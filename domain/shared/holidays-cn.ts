import type { HolidayCalendar } from './working-days';

/**
 * PRC public holidays and make-up working days (调休), transcribed from the State Council notices:
 *  - 2025: 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号, 2024-11-12)
 *  - 2026: 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04, published by Xinhua)
 * The notice for each new year appears around November; this table is only the default. The
 * application may pass any HolidayCalendar (e.g. from configuration) to the deciders instead.
 */

/** Every date from `first` to `last` inclusive, as YYYY-MM-DD. */
function range(first: string, last: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

export const CN_CALENDAR_2025: HolidayCalendar = {
  holidays: [
    '2025-01-01', // 元旦 (Wednesday, one day)
    ...range('2025-01-28', '2025-02-04'), // 春节
    ...range('2025-04-04', '2025-04-06'), // 清明节
    ...range('2025-05-01', '2025-05-05'), // 劳动节
    ...range('2025-05-31', '2025-06-02'), // 端午节
    ...range('2025-10-01', '2025-10-08'), // 国庆节、中秋节
  ],
  makeupWorkdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
};

export const CN_CALENDAR_2026: HolidayCalendar = {
  holidays: [
    ...range('2026-01-01', '2026-01-03'), // 元旦
    ...range('2026-02-15', '2026-02-23'), // 春节
    ...range('2026-04-04', '2026-04-06'), // 清明节
    ...range('2026-05-01', '2026-05-05'), // 劳动节
    ...range('2026-06-19', '2026-06-21'), // 端午节
    ...range('2026-09-25', '2026-09-27'), // 中秋节
    ...range('2026-10-01', '2026-10-07'), // 国庆节
  ],
  makeupWorkdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
};

/** Several calendars as one (e.g. the built-in years plus a configured next year). */
export function mergeCalendars(...calendars: HolidayCalendar[]): HolidayCalendar {
  return {
    holidays: [...new Set(calendars.flatMap((c) => c.holidays))].sort(),
    makeupWorkdays: [...new Set(calendars.flatMap((c) => c.makeupWorkdays))].sort(),
  };
}

/** The default calendar: 2025 and 2026. Outside these years only weekends are days off. */
export const CN_HOLIDAY_CALENDAR: HolidayCalendar = mergeCalendars(CN_CALENDAR_2025, CN_CALENDAR_2026);

/** Same as CN_HOLIDAY_CALENDAR; the name the composition imports. */
export const CN_HOLIDAYS: HolidayCalendar = CN_HOLIDAY_CALENDAR;
