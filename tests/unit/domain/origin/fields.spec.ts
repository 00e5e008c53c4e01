import { ValidationError } from '../../../../domain/shared/errors';
import fc from 'fast-check';
import { compareDecimal, compareDecimalExact } from '../../../../domain/origin/decimal';
import { createHash } from 'node:crypto';
import { canonicalJson, fingerprintOf } from '../../../../domain/origin/fields';
import { decider, validateFields, type OriginRecordInput } from '../../../../domain/origin';
import { spec } from '../support/decider-spec';
import { ctx, fisheryInput, livestockInput, places, plantingInput } from './fixtures';

const collect = (fields: OriginRecordInput) => ({ type: 'CollectOriginRecord' as const, data: { recordId: 'r1', fields, channel: 'form' as const } });
const refuses = (fields: OriginRecordInput, field: string) => spec(decider, ctx()).given([]).when(collect(fields)).thenThrows(ValidationError, field);

describe('origin record fields (附件1): every required field is named when missing or wrong', () => {
  it.each([
    ['producerName', { producerName: '' }],
    ['producerType', { producerType: 'company' }],
    ['producerType', { producerType: undefined }],
    ['industry', { industry: 'forestry' }],
    ['product', { product: '' }],
    ['product', { product: '苹果' }],
    ['industry', { product: '生猪' }],
    ['certification', { certification: 'iso9001' }],
    ['address.villageCode', { address: { villageCode: '' } }],
    ['address.villageCode', { address: { villageCode: '110101001' } }],
    ['address.villageCode', { address: { villageCode: '110101001999' } }],
    ['point.lat', { point: { lat: '39.91634', lon: '116.3971546' } }],
    ['point.lon', { point: { lat: '39.9163447', lon: '116.39715' } }],
    ['point.lat', { point: { lat: 39.9163447, lon: '116.3971546' } }],
    ['point.lat', { point: { lat: '89.0000000', lon: '116.3971546' } }],
    ['point.lon', { point: { lat: '39.9163447', lon: 'east' } }],
    ['contact.name', { contact: { name: '', mobile: '13800138000' } }],
    ['contact.mobile', { contact: { name: '王芳', mobile: '12800138000' } }],
    ['contact.mobile', { contact: { name: '王芳', mobile: '010-59198562' } }],
    ['scale.amount', { scale: { amount: '', unit: '亩' } }],
    ['scale.amount', { scale: { amount: '0', unit: '亩' } }],
    ['scale.amount', { scale: { amount: '-3', unit: '亩' } }],
    ['scale.unit', { scale: { amount: '3', unit: '头' } }],
    ['scale.unit', { scale: { amount: '3', unit: '㎡' } }],
    ['marketing.from', { marketing: null }],
    ['marketing.to', { marketing: { from: '2026-05', to: '2026-13' } }],
    ['marketing.to', { marketing: { from: '2026-09', to: '2026-05' } }],
    ['productionMethods', { productionMethods: [] }],
    ['productionMethods[0]', { productionMethods: ['greenhouse'] }],
    ['traceMethods', { traceMethods: [] }],
    ['traceMethods[1]', { traceMethods: ['trace-code', 'rfid'] }],
    ['gridWorker.name', { gridWorker: { name: ' ', mobile: '13912345678' } }],
    ['gridWorker.mobile', { gridWorker: { name: '李强', mobile: '' } }],
    ['collector.name', { collector: { name: '', mobile: '13912345678' } }],
    ['collector.mobile', { collector: { name: '赵敏', mobile: '1391234567' } }],
  ] as [string, Partial<OriginRecordInput>][])('%s refused: %j', (field, over) => {
    refuses(plantingInput(over), field);
  });

  it('keeps coordinates exactly as decimal strings (no float rounding, trailing zeros kept)', () => {
    const f = validateFields(plantingInput({ point: { lat: '39.916344700', lon: '116.397154600001' } }), places);
    expect(f.point).toEqual({ lat: '39.916344700', lon: '116.397154600001' });
  });

  it('fills the address down to the village from the codes', () => {
    const f = validateFields(plantingInput(), places);
    expect(f.address).toMatchObject({ provinceCode: '11', provinceName: '北京市', countyCode: '110101', countyName: '东城区', townshipCode: '110101001', townshipName: '东华门街道', villageCode: '110101001001', villageName: '多福巷社区居委会', detail: '一组' });
  });

  it('normalises mobiles (+86, spaces) and keeps optional fields null when absent', () => {
    const f = validateFields(plantingInput({ alias: undefined, certification: undefined, creditRating: '' }), places);
    expect(f.gridWorker.mobile).toBe('13912345678');
    expect(f.collector.mobile).toBe('15012345678');
    expect([f.alias, f.certification, f.creditRating]).toEqual([null, null, null]);
  });

  it('livestock and aquatic records carry no marketing window nor production method (附件1 备注 8, 9)', () => {
    const pig = validateFields(livestockInput('生猪', '120', '头'), places);
    expect([pig.marketing, pig.productionMethods, pig.aquacultureMode]).toEqual([null, [], null]);
    expect(validateFields(fisheryInput('12', '亩'), places).aquacultureMode).toBe('pond');
  });

  it('converts aquatic ㎡ to 亩 exactly and keeps what was entered (200 ㎡ = 0.3 亩)', () => {
    expect(validateFields(fisheryInput('200', '㎡', 'factory'), places).scale).toEqual({ amount: '0.3', unit: '亩', entered: { amount: '200', unit: '㎡' } });
    expect(validateFields(fisheryInput('1000', '㎡'), places).scale.amount).toBe('1.5');
    expect(validateFields(fisheryInput('1', '㎡'), places).scale.amount).toBe('0.0015');
  });

  it('accepts a product by its code or an alias, and keeps the key product name', () => {
    expect(validateFields(plantingInput({ product: 'cowpea' }), places).product).toEqual({ code: 'cowpea', name: '豇豆' });
    expect(validateFields(livestockInput('乌骨鸡', '1200', '只'), places).product).toEqual({ code: 'black-bone-chicken', name: '乌鸡' });
  });
});

describe('validated fields: validated once, fingerprinted by their canonical JSON', () => {
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

  it.each([
    ['planting', plantingInput()],
    ['planting, no certification or credit rating', plantingInput({ certification: undefined, creditRating: '', alias: undefined })],
    ['livestock', livestockInput('生猪', '120', '头')],
    ['fishery in ㎡', fisheryInput('200', '㎡', 'factory')],
  ])('%s: the fingerprint is the SHA-256 of canonicalJson, the text stored fingerprints were made of', (_name, input) => {
    const fields = validateFields(input, places);
    expect(fingerprintOf(fields)).toBe(sha256(canonicalJson(fields)));
    // The same content as a plain (unfrozen, differently ordered) object hashes the same.
    const reversed = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reversed) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v;
    const plain = reversed(fields) as typeof fields;
    expect(Object.keys(plain)[0]).not.toBe(Object.keys(fields)[0]);
    expect(fingerprintOf(plain)).toBe(fingerprintOf(fields));
  });

  it('are frozen, and validating them again gives them back (the import validates a row before the decider does)', () => {
    const fields = validateFields(plantingInput(), places);
    expect(Object.isFrozen(fields) && Object.isFrozen(fields.point) && Object.isFrozen(fields.traceMethods)).toBe(true);
    expect(validateFields(fields as unknown as OriginRecordInput, places)).toBe(fields);
    // A copy is validated afresh, and refused when it was changed into something invalid.
    expect(() => validateFields({ ...(fields as unknown as OriginRecordInput), point: { lat: '39.91634', lon: fields.point.lon } }, places)).toThrow(ValidationError);
  });

  it('a village looked up once (the address is kept per directory): the next record there gets the same names and its own detail', () => {
    let lookups = 0;
    const counting = { ...places, village: (code: string) => (lookups++, places.village(code)) };
    const first = validateFields(plantingInput({ address: { villageCode: '110101001001', detail: '一组' } }), counting);
    const second = validateFields(plantingInput({ producerName: '另一个合作社', address: { villageCode: '110101001001', detail: '二组' } }), counting);
    expect(lookups).toBe(1);
    expect(second.address).toEqual({ ...first.address, detail: '二组' });
    expect(first.address.detail).toBe('一组');
    // An unknown village is refused every time (refusals are not kept).
    for (let i = 0; i < 2; i++) expect(() => validateFields(plantingInput({ address: { villageCode: '110101001999' } }), counting)).toThrow(/no known village/);
    expect(lookups).toBe(3);
  });
});

describe('decimal comparison', () => {
  it('compares as numbers exactly what the scaled BigInts say, for every decimal of up to 15 characters', () => {
    const decimal = fc
      .tuple(fc.boolean(), fc.stringMatching(/^\d{1,7}$/), fc.stringMatching(/^\d{0,7}$/))
      .map(([neg, int, frac]) => `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`)
      .filter((d) => d.length <= 15);
    fc.assert(fc.property(decimal, decimal, (a, b) => compareDecimal(a, b) === compareDecimalExact(a, b)), { numRuns: 5000 });
    expect(compareDecimal('18.7421536', '18.74215360')).toBe(0);
    expect(compareDecimal('0.0000001', '0')).toBe(1);
    expect(compareDecimal('53.5600000000000001', '53.56')).toBe(1); // long: exact path
  });
});
