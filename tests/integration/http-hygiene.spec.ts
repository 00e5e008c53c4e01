import * as zlib from 'node:zlib';
import { accessDenialsOf } from '../../application/audit/access-log';
import { entityBody, registeredEntity } from './support/fixtures';
import { asCounty, asProducer, startTestApp, type TestApp } from './support/test-app';

/**
 * Issue #11, findings 8 and 9: what the fuzzer turned into 500s (bodies, encodings, repeated query
 * parameters, deep nesting, hostile text) answers 4xx naming the problem; every answer carries the
 * browser-facing security headers, and API answers are never cached.
 */
describe('HTTP hygiene', () => {
  let t: TestApp;
  let producer: { entityId: string };

  beforeAll(async () => {
    t = await startTestApp();
    producer = await registeredEntity(t);
  });
  afterAll(async () => t.close());

  describe('request bodies', () => {
    it('a body over the limit is 413, naming the limit', async () => {
      const res = await t.http
        .post('/api/v1/entities')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ name: 'x'.repeat(11 * 1024 * 1024) }));
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ error: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('10mb'), details: { limit: '10mb' } });
    });

    it('charset=latin1 is 415', async () => {
      const res = await t.http.post('/api/v1/entities').set('Content-Type', 'application/json; charset=latin1').send('{"name":"x"}');
      expect(res.status).toBe(415);
      expect(res.body).toMatchObject({ error: 'UNSUPPORTED_CHARSET', details: { charset: 'latin1' } });
    });

    it('an unknown Content-Encoding is 415; gzip is understood', async () => {
      const res = await t.http.post('/api/v1/entities').set({ 'Content-Type': 'application/json', 'Content-Encoding': 'x-snappy' }).send('{}');
      expect(res.status).toBe(415);
      expect(res.body).toMatchObject({ error: 'UNSUPPORTED_CONTENT_ENCODING', details: { encoding: 'x-snappy' } });

      const gzip = { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' };
      // serialize: send the bytes as they are (superagent would JSON-encode a Buffer).
      const ok = await t.http.post('/api/v1/entities').set(gzip).serialize((b: unknown) => b as string).send(zlib.gzipSync(JSON.stringify(entityBody())));
      expect(ok.status).toBe(201);
      const corrupt = await t.http.post('/api/v1/entities').set(gzip).serialize((b: unknown) => b as string).send(Buffer.from('not gzip at all'));
      expect(corrupt.status).toBe(400);
      expect(corrupt.body.error).toBe('BODY_UNREADABLE');
    });

    it('malformed JSON is 400 MALFORMED_JSON with the position, not the parser text', async () => {
      const res = await t.http.post('/api/v1/entities').set('Content-Type', 'application/json').send('{"name": "x",}');
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: 'MALFORMED_JSON', message: 'request body is not valid JSON (at character 13)', details: { position: 13 } });
      expect(res.body.message).not.toMatch(/Unexpected|Expected/);
    });

    it('batch items nested 10,000 levels deep are 400 BODY_TOO_DEEP, not INTERNAL', async () => {
      const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
      const body = `{"commands":[{"commandId":"deep-item-0001","type":"createLot","payload":${deep}}]}`;
      const res = await t.http.post('/api/v1/batch').set({ ...asProducer(producer.entityId), 'Content-Type': 'application/json' }).send(body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'BODY_TOO_DEEP', details: { maxDepth: 64 } });
    });
  });

  describe('repeated query parameters', () => {
    const lists = ['/api/v1/entities', '/api/v1/lots', '/api/v1/transfers', '/api/v1/samples', '/api/v1/tasks', '/api/v1/cases', '/api/v1/inspections', '/api/v1/faults', '/api/v1/risk-warnings'];

    it.each(lists)('%s?status=a&status=b is 400 naming the parameter', async (path) => {
      const res = await t.http.get(`${path}?status=a&status=b`).set(asCounty('469027'));
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: 'QUERY_PARAMETER_REPEATED', message: 'query parameter status must be given once', details: { field: 'status', count: 2 } });
    });

    it('?region=46&region=46 is 400 too (the same value twice is still two values)', async () => {
      const res = await t.http.get('/api/v1/lots?region=46&region=46').set(asCounty('469027'));
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual({ field: 'region', count: 2 });
    });

    it('a value outside the documented enum is 400 naming the parameter (it used to answer an empty list)', async () => {
      for (const path of ['/api/v1/entities?status=null', '/api/v1/cases?status=nonsense', '/api/v1/samples?verdict=maybe']) {
        const res = await t.http.get(path).set(asCounty('469027'));
        expect([path, res.status, res.body.error]).toEqual([path, 400, 'VALIDATION_FAILED']);
        expect(res.body.details.field).toBe(path.split('?')[1]!.split('=')[0]);
      }
      await t.http.get('/api/v1/entities?status=approved').set(asCounty('469027')).expect(200);
    });

    it('a parameter given once still works', async () => {
      await t.http.get('/api/v1/lots?page=1').set(asCounty('469027')).expect(200);
    });
  });

  describe('text fields', () => {
    it.each([
      ['NUL', '合作社\u0000'],
      ['a bidi override', '合作社\u202Eevil'],
      ['a bidi isolate', '合作社\u2066x\u2069'],
      ['zero-width characters only', '\u200B\u200D\u2060'],
    ])('a name with %s is refused (400 naming the field) and nothing is appended', async (_what, name) => {
      const before = await t.platform.adapters.eventStore.headPosition();
      const res = await t.http.post('/api/v1/entities').send(entityBody({ name }));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'VALIDATION_FAILED', details: { field: 'name' } });
      expect(await t.platform.adapters.eventStore.headPosition()).toBe(before);
    });

    it('a lone surrogate is refused', async () => {
      // JSON.stringify writes a lone surrogate as \ud800, which JSON.parse turns back into one.
      const res = await t.http.post('/api/v1/entities').set('Content-Type', 'application/json').send(JSON.stringify(entityBody({ name: 'x\uD800y' })));
      expect(res.status).toBe(400);
      expect(res.body.details.field).toBe('name');
      expect(res.body.message).toMatch(/surrogate/);
    });

    it('text is stored NFC-normalised', async () => {
      const decomposed = '豇豆合作社Cafe\u0301';
      const applied = await t.http.post('/api/v1/entities').send(entityBody({ name: decomposed })).expect(201);
      const entity = await t.http.get(`/api/v1/entities/${applied.body.entityId}`).set(asCounty('469027')).expect(200);
      expect(entity.body.name).toBe('豇豆合作社Café');
      expect(entity.body.name).not.toBe(decomposed);
    });
  });

  describe('headers', () => {
    it('every answer carries CSP, nosniff, frame and referrer policy, and no X-Powered-By', async () => {
      for (const path of ['/', '/api/v1/regions', '/api/v1/no-such-thing', '/api/docs']) {
        const res = await t.http.get(path);
        expect(res.headers['content-security-policy']).toContain("default-src 'self'");
        expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
        expect(res.headers['content-security-policy']).toContain("object-src 'none'");
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['x-frame-options']).toBe('DENY');
        expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
    });

    it('authenticated API answers, and errors, are Cache-Control: no-store', async () => {
      const ok = await t.http.get('/api/v1/lots').set(asCounty('469027')).expect(200);
      expect(ok.headers['cache-control']).toBe('no-store');
      const refused = await t.http.get('/api/v1/audit/log').set(asProducer(producer.entityId)).expect(403);
      expect(refused.headers['cache-control']).toBe('no-store');
    });
  });
});

describe('per-account rate limit and aggregated refusals', () => {
  let t: TestApp;
  let lot: string;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_ACCOUNT_PER_MIN: '5' });
    lot = (await t.http.post('/api/v1/entities').send(entityBody())).body.entityId as string;
  });
  afterAll(async () => t.close());

  const county = (userId: string) => ({ ...asCounty('469027'), 'X-User-Id': userId });

  it('an account past its limit gets 429 on every authenticated route; other accounts and public routes do not', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await t.http.get(i % 2 ? '/api/v1/lots' : '/api/v1/entities').set(county('busy-reader'))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const refused = await t.http.get('/api/v1/transfers').set(county('busy-reader'));
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error: 'TOO_MANY_REQUESTS' });
    expect(Number(refused.headers['retry-after-account'])).toBeGreaterThan(0);
    await t.http.get('/api/v1/lots').set(county('calm-reader')).expect(200);
    await t.http.get('/api/v1/regions').expect(200);
  });

  it('a refusal repeated within the window is one event at once and one summary with the count at the flush', async () => {
    const producer = { ...asProducer(lot), 'X-User-Id': 'hammering-producer' };
    for (let i = 0; i < 40; i++) await t.http.get(`/api/v1/audit/log?page=${i + 1}`).set(producer).expect(403);
    const events = async () => {
      const streams = await t.platform.adapters.eventStore.listStreams('access-hammering-producer-', null, 10);
      return (await Promise.all(streams.map((s) => t.platform.adapters.eventStore.readStream(s)))).flat();
    };
    expect((await events()).map((e) => e.type)).toEqual(['AccessDenied']);
    expect((await events())[0]!.data).toMatchObject({ path: '/api/v1/audit/log?page=1', permission: 'audit.read', status: 403 });

    await accessDenialsOf(t.platform.ledger).flush();
    const after = await events();
    expect(after).toHaveLength(2);
    expect(after[1]).toMatchObject({ type: 'AccessDenied', data: { permission: 'audit.read', count: 39, path: '/api/v1/audit/log?page=40' } });
    expect(Date.parse(String(after[1]!.data.lastAt))).toBeGreaterThanOrEqual(Date.parse(String(after[1]!.data.firstAt)));

    // The next window opens with an event at once again.
    await t.http.get('/api/v1/audit/log').set(producer).expect(403);
    expect(await events()).toHaveLength(3);
    await accessDenialsOf(t.platform.ledger).flush();
    expect(await events()).toHaveLength(3);
  });
});
