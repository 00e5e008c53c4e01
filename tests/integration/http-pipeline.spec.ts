import { createLot, registeredEntity } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The request pipeline around the routes: the web app beside the API, JSON errors for unknown API paths,
 * and the rate-limit headers of the public lookup (counted per client address, route and limit).
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
});
