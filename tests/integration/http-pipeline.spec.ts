import { createLot, registeredEntity } from './support/fixtures';
import { asCounty, startTestApp, type TestApp } from './support/test-app';

/**
 * The request pipeline around the routes: the web app beside the API, JSON errors for unknown API paths,
 * 405 for a method a path does not take, the rate-limit headers of the public lookup (counted per client
 * address, route and limit), and the OpenAPI document the fuzzer reads (scripts/fuzz).
 */
describe('HTTP pipeline', () => {
  let t: TestApp;
  let lot: string;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PUBLIC_PER_MIN: '50' });
    lot = await createLot(t, (await registeredEntity(t)).entityId);
  });
  afterAll(async () => t.close());

  it('serves the web app at the root', async () => {
    const res = await t.http.get('/').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });

  it('answers an unknown API path with the JSON error, not a file', async () => {
    const res = await t.http.get('/api/v1/no-such-thing').expect(404);
    expect(res.body).toMatchObject({ error: 'NOT_FOUND', details: {} });
  });

  it('counts public lookups down in the rate-limit headers', async () => {
    const first = await t.http.get(`/api/v1/trace/${lot}`).expect(200);
    const second = await t.http.get(`/api/v1/trace/${lot}`).expect(200);
    expect(first.headers['x-ratelimit-limit-public']).toBe('50');
    expect(Number(first.headers['x-ratelimit-remaining-public']) - Number(second.headers['x-ratelimit-remaining-public'])).toBe(1);
    expect(Number(second.headers['x-ratelimit-reset-public'])).toBeGreaterThan(0);
    expect(second.headers['x-ratelimit-limit-login']).toBeUndefined();
  });

  describe('the OpenAPI document', () => {
    let doc: { openapi: string; paths: Record<string, Record<string, any>>; components: { securitySchemes?: Record<string, unknown> } };
    beforeAll(async () => {
      doc = (await t.http.get('/api/docs/openapi.json').expect(200)).body;
    });
    const operations = () => Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));

    it('declares OpenAPI 3.1 (it uses 3.1 syntax: numeric exclusiveMinimum, 2020-12 schemas)', () => {
      expect(doc.openapi).toBe('3.1.0');
    });

    it('declares the bearer scheme, required by every route but the public ones', () => {
      expect(doc.components.securitySchemes).toEqual({ bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }) });
      expect(doc.paths['/api/v1/lots']!.get.security).toEqual([{ bearer: [] }]);
      expect(doc.paths['/api/v1/audit/log']!.get.security).toEqual([{ bearer: [] }]);
      // `[{}]`: no requirement (a token is accepted, not needed).
      expect(doc.paths['/api/v1/trace/{traceCode}']!.get.security).toEqual([{}]);
      expect(doc.paths['/api/v1/auth/login']!.post.security).toEqual([{}]);
    });

    it('gives every success answer a media type and a schema', () => {
      const missing = operations().flatMap(({ path, method, op }) =>
        Object.entries(op.responses as Record<string, { content?: Record<string, { schema?: unknown }> }>)
          .filter(([status, r]) => /^2/.test(status) && !Object.values(r.content ?? {}).some((m) => m.schema))
          .map(([status]) => `${method} ${path} ${status}`),
      );
      expect(missing).toEqual([]);
      expect(operations().length).toBeGreaterThan(50);
      expect(doc.paths['/api/v1/lots']!.get.responses['200'].content['application/json'].schema.required).toEqual(['total', 'page', 'size', 'items']);
      expect(Object.keys(doc.paths['/api/v1/lots/{traceCode}/label.pdf']!.get.responses['200'].content)).toEqual(['application/pdf']);
    });

    it('the paged schema matches a real answer', async () => {
      const res = await t.http.get('/api/v1/lots').set(asCounty('469027')).expect(200);
      expect(Object.keys(res.body).sort()).toEqual(['items', 'page', 'size', 'total']);
    });
  });

  it('a method a documented path does not take is 405 with Allow', async () => {
    const res = await t.http.delete('/api/v1/lots').set(asCounty('469027'));
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST, GET, HEAD');
    expect(res.body).toMatchObject({ error: 'METHOD_NOT_ALLOWED', details: { allowed: ['POST', 'GET', 'HEAD'] } });
    await t.http.delete('/api/v1/no-such-thing').expect(404);
  });
});
