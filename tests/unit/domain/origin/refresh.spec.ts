import { addOneMonth, endOfPeriodCst, isStale, refreshDueAt } from '../../../../domain/origin';

describe('collection frequency (采集频次): planting every crop cycle, livestock and aquatic monthly', () => {
  const collected = new Date('2026-03-10T02:00:00.000Z');

  it('planting is due at the end of its cycle (下市时间), Beijing time', () => {
    expect(refreshDueAt('planting', { from: '2026-05', to: '2026-09' }, collected)).toBe('2026-09-30T15:59:59.999Z');
    expect(refreshDueAt('planting', { from: '2026-05-01', to: '2026-06-15' }, collected)).toBe('2026-06-15T15:59:59.999Z');
  });

  it('a cycle already over when collected is due a month on', () => {
    expect(refreshDueAt('planting', { from: '2025-05', to: '2025-09' }, collected)).toBe('2026-04-10T02:00:00.000Z');
  });

  it('livestock and aquatic are due one calendar month on (end-of-month clamps)', () => {
    expect(refreshDueAt('livestock', null, collected)).toBe('2026-04-10T02:00:00.000Z');
    expect(refreshDueAt('fishery', null, collected)).toBe('2026-04-10T02:00:00.000Z');
    expect(addOneMonth(new Date('2026-01-31T04:00:00.000Z')).toISOString()).toBe('2026-02-28T04:00:00.000Z');
  });

  it('stale once the clock passes the due time, not before', () => {
    const due = refreshDueAt('livestock', null, collected);
    expect(isStale(due, new Date('2026-04-10T02:00:00.000Z'))).toBe(false);
    expect(isStale(due, new Date('2026-04-10T02:00:00.001Z'))).toBe(true);
    expect(endOfPeriodCst('2026-12').toISOString()).toBe('2026-12-31T15:59:59.999Z');
  });
});
