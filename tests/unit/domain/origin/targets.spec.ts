import { ValidationError } from '../../../../domain/shared/errors';
import { expectedCounts, targetsDecider, validateTargets } from '../../../../domain/origin';
import { COUNTY } from './fixtures';
import { NOW } from '../support/decider-spec';

/** 目标任务 (seed 003 六(二)): the expected counts completeness is measured against. */
describe('origin targets (目标任务)', () => {
  const ctx = { now: NOW, actor: COUNTY };
  const set = (regionCode: string, targets: Record<string, unknown>, state = targetsDecider.initialState()) => targetsDecider.decide({ type: 'SetOriginTargets', data: { regionCode, targets } }, state, ctx);

  it('given no table, when a county sets counts by product name or code, then one event with the codes in product order', () => {
    const events = set('110101', { 韭菜: 2, cowpea: 4 });
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ regionCode: '110101', level: 'county', targets: { cowpea: 4, 'chinese-chive': 2 } });
    expect(Object.keys(events[0]!.data.targets)).toEqual(['cowpea', 'chinese-chive']);
  });

  it('given a table, when the same counts are set again, then nothing is appended', () => {
    const state = targetsDecider.evolve(targetsDecider.initialState(), set('110101', { 豇豆: 4 })[0]!);
    expect(set('110101', { cowpea: 4 }, state)).toEqual([]);
    expect(set('110101', { cowpea: 5 }, state)).toHaveLength(1);
  });

  it.each([
    ['targets.苹果', { 苹果: 1 }],
    ['targets.豇豆', { 豇豆: -1 }],
    ['targets.豇豆', { 豇豆: 2.5 }],
    ['targets.豇豆', { 豇豆: '3' }],
    ['targets.cowpea', { 豇豆: 1, cowpea: 2 }],
  ])('refuses %s', (field, targets) => {
    try {
      validateTargets(targets);
      throw new Error('accepted');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe(field);
    }
  });

  it('expects a region’s own table, else the top-most tables set below it', () => {
    const tables: { regionCode: string; targets: Record<string, number> }[] = [
      { regionCode: '110101', targets: { cowpea: 4 } },
      { regionCode: '110101001', targets: { cowpea: 3, 'chinese-chive': 1 } },
      { regionCode: '110102', targets: { cowpea: 5 } },
      { regionCode: '120101', targets: { cowpea: 7 } },
    ];
    expect(expectedCounts('110101', tables)).toMatchObject({ cowpea: 4, 'chinese-chive': 1, celery: null });
    expect(expectedCounts('110101001', tables)).toMatchObject({ cowpea: 3, 'chinese-chive': 1 });
    expect(expectedCounts('11', tables)).toMatchObject({ cowpea: 9, 'chinese-chive': 1 });
    expect(expectedCounts('', tables)).toMatchObject({ cowpea: 16 });
    expect(expectedCounts('110105', tables).cowpea).toBeNull();
  });
});
