import { halfYearPeriod, lastClosedPeriod, monthlyPeriod, reportId, reportStreamId } from '../../../domain/statistics/reports';

describe('report periods (统计报表)', () => {
  it('a month and a half-year as CST day ranges, leap years included', () => {
    expect(monthlyPeriod('2028-02')).toEqual({ kind: 'monthly', period: '2028-02', from: '2028-02-01', to: '2028-02-29' });
    expect(monthlyPeriod('2026-02').to).toBe('2026-02-28');
    expect(halfYearPeriod('2026-H1')).toEqual({ kind: 'half-year', period: '2026-H1', from: '2026-01-01', to: '2026-06-30' });
    expect(halfYearPeriod('2026-H2')).toMatchObject({ from: '2026-07-01', to: '2026-12-31' });
    expect(() => monthlyPeriod('2026-13')).toThrow();
    expect(() => halfYearPeriod('2026-H3')).toThrow();
  });

  it('the period that closed last: last month across the new year, the previous half-year', () => {
    expect(lastClosedPeriod('monthly', '2027-01-01').period).toBe('2026-12');
    expect(lastClosedPeriod('monthly', '2026-12-02').period).toBe('2026-11');
    expect(lastClosedPeriod('half-year', '2026-07-01').period).toBe('2026-H1');
    expect(lastClosedPeriod('half-year', '2026-06-30').period).toBe('2025-H2');
    expect(lastClosedPeriod('half-year', '2027-01-05').period).toBe('2026-H2');
  });

  it('one stream and id per kind, period and region (the country named national)', () => {
    expect(reportStreamId('monthly', '2026-11', '')).toBe('statistics-report-monthly-2026-11-national');
    expect(reportId('half-year', '2026-H1', '469027')).toBe('half-year-2026-H1-469027');
  });
});
