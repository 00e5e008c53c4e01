import { CommandBus } from '@nestjs/cqrs';
import { loadDemoData, type DemoSummary } from '../../infrastructure/demo/load-demo-data';
import { findCjkFont } from '../../infrastructure/http/labels/cjk-font';
import { webConfigFrom } from '../../infrastructure/http/web-config/web-config';
import { childrenOf, lookup } from '../../infrastructure/http/regions/region-directory';
import { asProducer, startTestApp, type TestApp } from '../integration/support/test-app';

/** The endpoints the web app needs besides the ledger API: config, region lists, label and certificate PDFs. */
describe('web support endpoints (no browser)', () => {
  let t: TestApp;
  let demo: DemoSummary;
  beforeAll(async () => {
    t = await startTestApp();
    demo = await loadDemoData(t.app.get(CommandBus), new Date());
    await t.platform.runner.waitFor(await t.platform.adapters.eventStore.headPosition(), 30_000);
  }, 60_000);
  afterAll(async () => t.close());

  it('GET /api/v1/config tells the sign-in mode and the public URL; no tile server unless TILE_URL is set', async () => {
    const res = await t.http.get('/api/v1/config').expect(200);
    expect(res.body).toEqual({ authMode: 'dev-headers', publicUrl: 'http://suyuan.test', tiles: null });
    expect(webConfigFrom({ TILE_URL: 'https://tiles.example.cn/{z}/{x}/{y}.png', TILE_ATTRIBUTION: '© x' }, 'tokens', 'https://s.cn').tiles).toEqual({
      url: 'https://tiles.example.cn/{z}/{x}/{y}.png',
      attribution: '© x',
      maxZoom: 18,
    });
    expect(() => webConfigFrom({ TILE_URL: 'https://tiles.example.cn/tile.png' }, 'tokens', '')).toThrow(/TILE_URL/);
  });

  it('GET /api/v1/regions lists provinces → cities → counties and names prefixes', async () => {
    const provinces = (await t.http.get('/api/v1/regions').expect(200)).body.items as { code: string; name: string }[];
    expect(provinces.length).toBeGreaterThanOrEqual(31);
    expect(provinces).toContainEqual(expect.objectContaining({ code: '46', name: '海南省', level: 'province' }));
    const cities = (await t.http.get('/api/v1/regions?parent=46').expect(200)).body.items;
    expect(cities.map((c: { code: string }) => c.code)).toEqual(expect.arrayContaining(['4601', '4602', '4690']));
    const counties = (await t.http.get('/api/v1/regions?parent=4690').expect(200)).body.items;
    expect(counties).toContainEqual(expect.objectContaining({ code: '469027', name: '乐东黎族自治县', fullName: '海南省 乐东黎族自治县' }));
    expect((await t.http.get('/api/v1/regions?codes=11,4401,999999').expect(200)).body.items.map((r: { name: string }) => r.name)).toEqual(['北京市', '广州市']);
    await t.http.get('/api/v1/regions?parent=461').expect(400);
    expect(childrenOf('469027')).toEqual([]);
    expect(lookup(['37'])[0]!.name).toBe('山东省');
  });

  it('renders the label PDF for the holder only; forged codes are 400, other holders 404', async () => {
    const lot = (await t.platform.readModels.get('lots', demo.originTraceCode))!;
    const holder = (lot.holder as { entityId: string }).entityId;
    const url = `/api/v1/lots/${demo.originTraceCode}/label.pdf`;
    if (!findCjkFont()) {
      process.stderr.write('\n!!! LABEL PDF NOT RENDERED: no CJK font installed (apt-get install fonts-noto-cjk); expecting 503\n\n');
      await t.http.get(url).set(asProducer(holder)).expect(503);
      return;
    }
    const res = await t.http.get(url).set(asProducer(holder)).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+(NotoSansCJK|WenQuanYi)/);
    await t.http.get(url).set(asProducer('someone-else')).expect(404);
    const forged = demo.originTraceCode.slice(0, 24) + (demo.originTraceCode.endsWith('0') ? '1' : '0');
    const bad = await t.http.get(`/api/v1/lots/${forged}/label.pdf`).set(asProducer(holder)).expect(400);
    expect(bad.body.details.reason).toBe('checksum');
  });

  it('renders a market-entry certificate PDF by its number; an unknown number is 404', async () => {
    const certified = (await t.platform.readModels.find('lots', {})).find((l) => (l.certificates as unknown[]).length > 0)!;
    const cert = (certified.certificates as { certificateNo: string }[])[0]!;
    const holder = asProducer((certified.holder as { entityId: string }).entityId);
    await t.http.get(`/api/v1/lots/${certified._id}/certificates/RS00000000XXXXXXXX.pdf`).set(holder).expect(404);
    if (!findCjkFont()) return; // said loudly by the label test above
    const res = await t.http.get(`/api/v1/lots/${certified._id}/certificates/${cert.certificateNo}.pdf`).set(holder).buffer(true).parse(binary).expect(200);
    expect((res.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
  });
});

/** superagent parser that keeps the body as bytes (its Node response is a readable stream). */
function binary(res: any, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}
