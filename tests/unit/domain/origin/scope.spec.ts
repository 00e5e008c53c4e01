import { classifyScope, DEFAULT_SCOPE_RULES, validateFields, type ScopeRules } from '../../../../domain/origin';
import { fisheryInput, livestockInput, places, plantingInput } from './fixtures';

const verdict = (input: Parameters<typeof validateFields>[0], rules: ScopeRules = DEFAULT_SCOPE_RULES) => classifyScope(validateFields(input, places), rules);

describe('scope (采集范围, seed 003 §三): at or above the threshold is 规模以上, below is kept and marked 规模以下', () => {
  it.each([
    ['种植 豇豆', () => plantingInput({ scale: { amount: '0.5', unit: '亩' } }), () => plantingInput({ scale: { amount: '0.4999', unit: '亩' } }), '0.5'],
    ['种植 韭菜', () => plantingInput({ product: '韭菜', scale: { amount: '0.5', unit: '亩' } }), () => plantingInput({ product: '韭菜', scale: { amount: '0.49', unit: '亩' } }), '0.5'],
    ['种植 芹菜', () => plantingInput({ product: '芹菜', scale: { amount: '3', unit: '亩' } }), () => plantingInput({ product: '芹菜', scale: { amount: '0.1', unit: '亩' } }), '0.5'],
    ['生猪', () => livestockInput('生猪', '30', '头'), () => livestockInput('生猪', '29', '头'), '30'],
    ['肉牛', () => livestockInput('肉牛', '5', '头'), () => livestockInput('肉牛', '4', '头'), '5'],
    ['肉羊', () => livestockInput('肉羊', '50', '头'), () => livestockInput('肉羊', '49', '头'), '50'],
    ['乌鸡', () => livestockInput('乌鸡', '1000', '只'), () => livestockInput('乌鸡', '999', '只'), '1000'],
    ['蛋鸡 (鸡蛋)', () => livestockInput('鸡蛋', '500', '只'), () => livestockInput('鸡蛋', '499', '只'), '500'],
    ['水产 (池塘)', () => fisheryInput('10', '亩'), () => fisheryInput('9.9999', '亩'), '10'],
    ['水产 工厂化 (200 ㎡ = 0.3 亩)', () => fisheryInput('200', '㎡', 'factory'), () => fisheryInput('199', '㎡', 'factory'), '0.3'],
  ])('%s: threshold %s', (_name, atThreshold, below, threshold) => {
    const at = verdict(atThreshold());
    expect(at).toMatchObject({ inScope: true, keyProduct: true, ruleSet: 'national' });
    expect(at.threshold?.amount).toBe(threshold);
    expect(verdict(below())).toMatchObject({ inScope: false, keyProduct: true });
  });

  it('a pond of 5 亩 is below the pond threshold but a factory of the same size is in scope', () => {
    expect(verdict(fisheryInput('5', '亩')).inScope).toBe(false);
    expect(verdict(fisheryInput('5', '亩', 'factory')).inScope).toBe(true);
  });

  it('a province may override a threshold; other provinces keep the national one', () => {
    const rules: ScopeRules = { ...DEFAULT_SCOPE_RULES, provinces: { '35': { 'live-pig': { amount: '50', unit: '头' } } } };
    const fujianPig = (n: string) => ({ ...livestockInput('生猪', n, '头'), address: { villageCode: '350102001001' } });
    expect(verdict(fujianPig('40'), rules)).toMatchObject({ inScope: false, ruleSet: '35', threshold: { amount: '50', unit: '头' } });
    expect(verdict(fujianPig('50'), rules)).toMatchObject({ inScope: true, ruleSet: '35' });
    expect(verdict(livestockInput('生猪', '40', '头'), rules)).toMatchObject({ inScope: true, ruleSet: 'national' });
  });
});
