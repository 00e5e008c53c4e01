import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { eventHashId, prefixesOf } from '../../application/reports/epcis/event-hash';
import { lotUri } from '../../application/reports/epcis/epcis-document';
import { confirm, createLot, registeredEntity, ship } from './support/fixtures';
import { asCounty, startTestApp, type TestApp } from './support/test-app';

const SECRET = 'integration-test-secret-0123456789';
const PUBLIC_URL = 'http://suyuan.test';
const SCHEMA = path.resolve(__dirname, '../..', '..', 'shared/interop/EPCIS-JSON-Schema.json');

describe('GET /api/v1/trace/{code}/epcis across three provinces', () => {
  let t: TestApp;
  let origin: string;
  let middle: string;
  let leaf: string;

  beforeAll(async () => {
    t = await startTestApp();
    const household = await registeredEntity(t, { name: '李春花', entityType: 'household', creditCode: undefined, contactPhone: '13698760003', regionCode: '469027',
      bases: [{ name: '李春花芒果园', regionCode: '469027', address: '佛罗镇', lat: 18.601234, lon: 108.752345, products: ['芒果'] }] });
    const wholesaler = await registeredEntity(t, { name: '广州江南果菜批发市场', regionCode: '440111', address: '广州市白云区', bases: [{ name: '冷库', regionCode: '440111', address: '白云区', lat: 23.201234, lon: 113.272345, products: ['芒果'] }] });
    const shop = await registeredEntity(t, { name: '北京新发地', regionCode: '110106', address: '北京市丰台区新发地', bases: [{ name: '交易区', regionCode: '110106', address: '丰台区', lat: 39.812345, lon: 116.372345, products: ['芒果'] }] });
    origin = await createLot(t, household.entityId, 800, 'kg', '芒果');
    middle = await confirm(t, wholesaler.entityId, await ship(t, household.entityId, origin, wholesaler.eid, 600));
    leaf = await confirm(t, shop.entityId, await ship(t, wholesaler.entityId, middle, shop.eid, 200));
  });
  afterAll(async () => t.close());

  it('exports the whole chain as EPCIS 2.0 JSON-LD that GS1’s schema accepts, each eventID its CBV 2.0 hash', async () => {
    const res = await t.http.get(`/api/v1/trace/${middle}/epcis`).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/ld\+json/);
    const doc = res.body;
    expect(doc.type).toBe('EPCISDocument');
    const events = doc.epcisBody.eventList as { type: string; bizStep: string; eventID: string; quantityList?: { epcClass: string }[] }[];
    expect(events.filter((e) => e.bizStep === 'commissioning' && e.type === 'ObjectEvent')).toHaveLength(1);
    expect(events.filter((e) => e.bizStep === 'shipping')).toHaveLength(2);
    expect(events.filter((e) => e.bizStep === 'receiving')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'TransformationEvent')).toHaveLength(2);
    const classes = new Set(events.flatMap((e) => (e.quantityList ?? []).map((q) => q.epcClass)));
    expect(classes).toEqual(new Set([lotUri(PUBLIC_URL, origin), lotUri(PUBLIC_URL, middle)]));
    const prefixes = prefixesOf(doc['@context']);
    for (const e of events) expect(e.eventID).toBe(eventHashId(e, prefixes));
    if (!fs.existsSync(SCHEMA)) {
      console.warn(`\n!!! SKIPPED schema check: ${SCHEMA} not found !!!\n`);
      return;
    }
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA, 'utf8')));
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
  });

  it('follows the chain rule: the origin county sees its own lots only (no grant), without the downstream holders', async () => {
    const res = await t.http.get(`/api/v1/trace/${origin}/epcis`).set(asCounty('469027')).expect(200);
    const text = JSON.stringify(res.body);
    expect(text).toContain(encodeURIComponent(origin));
    expect(text).not.toContain(encodeURIComponent(middle));
    expect(text).not.toContain(encodeURIComponent(leaf));
    expect(text).not.toContain('广州江南果菜批发市场');
    // The hand-over out of the county stays (quantity and time) with its receiver withheld.
    expect(res.body.epcisBody.eventList.filter((e: { bizStep: string }) => e.bizStep === 'shipping')).toHaveLength(1);
  });

  it('a forged code is a 400 naming the field; a well-signed unknown code is a 404', async () => {
    const flipped = leaf.slice(0, 20) + (leaf[20] === '1' ? '2' : '1') + leaf.slice(21);
    const bad = await t.http.get(`/api/v1/trace/${flipped}/epcis`).expect(400);
    expect(bad.body).toMatchObject({ error: 'VALIDATION_FAILED', details: { field: 'traceCode' } });
    const { formatTraceCode } = await import('../../domain/lots');
    const unknown = formatTraceCode({ regionCode: '110101', productionDate: '2026-01-01', entitySegment: 'ZZZZZ', sequence: 9 }, SECRET);
    await t.http.get(`/api/v1/trace/${unknown}/epcis`).expect(404);
  });
});
