import { creditCodeCheckChar } from '../../../domain/registration';
import type { TestApp } from './test-app';
import { asCounty, asProducer } from './test-app';

let seq = 0;

const creditCode = (first17: string) => first17 + creditCodeCheckChar(first17);

export function entityBody(overrides: Record<string, unknown> = {}) {
  seq++;
  return {
    name: `测试豇豆合作社${seq}`,
    entityType: 'cooperative',
    regionCode: '469027',
    address: '海南省乐东黎族自治县佛罗镇',
    legalRepresentative: '符海生',
    contactPhone: '13807610001',
    // One enterprise, one e-ID (the credit code is claimed on approval): every fixture entity has its own.
    creditCode: creditCode(`93469027MA5T4${String(seq % 10_000).padStart(4, '0')}`),
    products: ['豇豆'],
    bases: [{ name: '佛罗豇豆基地', regionCode: '469027', address: '佛罗镇丹村', lat: 18.601234, lon: 108.780512, areaMu: 820, products: ['豇豆'] }],
    ...overrides,
  };
}

export async function registeredEntity(t: TestApp, overrides: Record<string, unknown> = {}) {
  const body = entityBody(overrides);
  const applied = await t.http.post('/api/v1/entities').send(body).expect(201);
  const approved = await t.http
    .post(`/api/v1/entities/${applied.body.entityId}/approve`)
    .set(asCounty(String(body.regionCode)))
    .send({})
    .expect(200);
  return { entityId: applied.body.entityId as string, eid: approved.body.eid as string, name: body.name };
}

export async function createLot(t: TestApp, entityId: string, amount = 1000, unit = 'kg', product = '豇豆') {
  const res = await t.http
    .post('/api/v1/lots')
    .set(asProducer(entityId))
    .send({ entityId, baseId: 'B1', product, quantity: { amount, unit }, productionDate: '2026-11-20' })
    .expect(201);
  return res.body.traceCode as string;
}

export async function ship(t: TestApp, fromEntityId: string, fromTraceCode: string, toEid: string, amount: number, unit = 'kg') {
  const res = await t.http
    .post('/api/v1/transfers')
    .set(asProducer(fromEntityId))
    .send({ fromTraceCode, quantity: { amount, unit }, to: { kind: 'registered', eid: toEid } })
    .expect(201);
  return res.body.transferId as string;
}

export async function confirm(t: TestApp, toEntityId: string, transferId: string) {
  const res = await t.http.post(`/api/v1/transfers/${transferId}/confirm`).set(asProducer(toEntityId)).send({}).expect(200);
  return res.body.childTraceCode as string;
}
