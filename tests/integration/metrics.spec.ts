import { creditCodeCheckChar } from '../../domain/registration';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * GET /metrics (Prometheus): guarded by METRICS_TOKEN, and it carries the figures issue 16 asks for —
 * command latency by type, append batch size and commit time, projection lag, dead letters, job queue
 * depth, HTTP status counts, event-loop lag — with values that move when the platform works.
 */
const TOKEN = 'metrics-token-0123456789abcdef';
const SYSTEM = { 'X-Role': 'system', 'X-Org-Id': 'platform', 'X-User-Id': 'metrics-test' };

/** The value of one sample line (`name{labels} value`), or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (!(rest.startsWith('{') || rest.startsWith(' '))) continue;
    if (Object.entries(labels).every(([k, v]) => rest.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('GET /metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ METRICS_TOKEN: TOKEN });
  });
  afterAll(() => t.close());

  it('refuses without the token, and a wrong one', async () => {
    expect((await t.http.get('/metrics')).status).toBe(401);
    expect((await t.http.get('/metrics').set('authorization', 'Bearer wrong-token-0123456789abc')).status).toBe(401);
    // A signed-in user, even the platform, is not the scraper.
    expect((await t.http.get('/metrics').set(SYSTEM)).status).toBe(401);
  });

  it('exposes command, append, projection, queue, HTTP and event-loop figures that move with work', async () => {
    const applied = await t.http
      .post('/api/v1/entities')
      .set(SYSTEM)
      .send({
        name: '指标测试合作社', entityType: 'cooperative', regionCode: '469027', address: '乐东县', legalRepresentative: '符海生',
        contactPhone: '13807610001', creditCode: '93469027MA5T4K1X0' + creditCodeCheckChar('93469027MA5T4K1X0'), products: ['豇豆'],
        bases: [{ name: '基地', regionCode: '469027', address: '佛罗镇', lat: 18.601234, lon: 108.780512, products: ['豇豆'] }],
      });
    await t.http.get('/api/v1/search?q=豇豆').set(SYSTEM);
    const res = await t.http.get('/metrics').set('authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.text;
    expect(applied.status).toBe(201);
    expect(sample(text, 'suyuan_command_duration_seconds_count', { type: 'ApplyForRegistrationCommand' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'suyuan_append_batch_events_count', { call: 'append' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'suyuan_append_commit_seconds_count', { call: 'append', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'suyuan_http_responses_total', { method: 'POST', route: '/api/v1/entities', status: '201' })).toBe(1);
    expect(sample(text, 'suyuan_http_responses_total', { method: 'GET', route: '/api/v1/search', status: '200' })).toBe(1);
    expect(sample(text, 'suyuan_projection_lag_events', { projection: 'search' })).toBe(0);
    expect(sample(text, 'suyuan_projection_dead_letters', { projection: 'search' })).toBe(0);
    expect(sample(text, 'suyuan_log_head_position')).toBeGreaterThan(0);
    expect(sample(text, 'suyuan_job_queue_depth')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'suyuan_jobs_failed')).toBe(0);
    expect(sample(text, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
  });
});

describe('GET /metrics without METRICS_TOKEN', () => {
  it('answers 404: the route is not exposed', async () => {
    const t = await startTestApp();
    try {
      expect((await t.http.get('/metrics')).status).toBe(404);
    } finally {
      await t.close();
    }
  });
});
