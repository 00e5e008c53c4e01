import type { TestApp } from './test-app';

/** Dev identities of the regulator's side (AUTH=dev-headers in the feature suites). */
export const asProvince = (region = '46', org = 'org-hn-agri') => ({ 'X-Role': 'province-admin', 'X-Org-Id': org, 'X-User-Id': `u-${org}`, 'X-Region': region });
export const asLab = (org: string, region = '46') => ({ 'X-Role': 'lab', 'X-Org-Id': org, 'X-User-Id': `u-${org}`, 'X-Region': region });
export const asEnforcement = (region = '469027') => ({ 'X-Role': 'enforcement', 'X-Org-Id': `enf-${region}`, 'X-User-Id': `u-enf-${region}`, 'X-Region': region });
export const asMinistry = () => ({ 'X-Role': 'ministry-admin', 'X-Org-Id': 'moa', 'X-User-Id': 'u-moa', 'X-Region': '' });

export const LEAD_LAB = { orgId: 'lab-hn-center', name: '海南省农产品质量安全检测中心' };
export const LEDONG_LAB = { orgId: 'lab-ledong', name: '乐东县农产品质量安全检测站' };

/** GB 2763-2021 limits for 豇豆 (cowpea), the analytes of the 2023 campaigns. */
export const COWPEA_MODEL = {
  products: ['豇豆'],
  standard: 'GB 2763-2021 食品安全国家标准 食品中农药最大残留限量',
  analytes: [
    { code: 'clothianidin', name: '噻虫胺', limit: { kind: 'max', value: 0.01, unit: 'mg/kg' }, lod: { value: 0.002, unit: 'mg/kg' }, method: 'GB 23200.121-2021' },
    { code: 'carbofuran', name: '克百威', limit: { kind: 'max', value: 0.02, unit: 'mg/kg' }, lod: { value: 0.005, unit: 'mg/kg' }, method: 'GB 23200.121-2021' },
    { code: 'cyromazine', name: '灭蝇胺', limit: { kind: 'max', value: 0.5, unit: 'mg/kg' }, lod: { value: 0.01, unit: 'mg/kg' } },
  ],
};

export const FAILING_RESULT = [
  { code: 'clothianidin', value: 35, unit: 'μg/kg' },
  { code: 'carbofuran', value: 0.046, unit: 'mg/kg' },
  { code: 'cyromazine', notDetected: true },
];
export const PASSING_RESULT = [
  { code: 'clothianidin', value: 4, unit: 'ug/kg' },
  { code: 'carbofuran', notDetected: true },
  { code: 'cyromazine', value: 0.12, unit: 'mg/kg' },
];

/** YYYY-MM-DD in China Standard Time, `days` from now. */
export function cstDate(days = 0): string {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/** Publishes, configures and distributes a Hainan 豇豆 task; returns its id. */
export async function openTask(t: TestApp, kind: 'routine' | 'special' | 'spotCheck' = 'special'): Promise<string> {
  const published = await t.http
    .post('/api/v1/tasks')
    .set(asProvince())
    .send({ kind, title: '豇豆农药残留专项监测', regionCode: '460000', period: { from: cstDate(-10), to: cstDate(10) }, leadLab: LEAD_LAB, publisherName: '海南省农业农村厅' })
    .expect(201);
  const taskId = published.body.taskId as string;
  await t.http.post(`/api/v1/tasks/${taskId}/model`).set(asLab(LEAD_LAB.orgId)).send({ model: COWPEA_MODEL }).expect(200);
  await t.http.post(`/api/v1/tasks/${taskId}/distribute`).set(asLab(LEAD_LAB.orgId)).send({ assignments: [{ ...LEDONG_LAB, regionCode: '469027', quota: 20 }] }).expect(200);
  return taskId;
}

export async function sampleLot(t: TestApp, taskId: string, traceCode: string): Promise<string> {
  const res = await t.http
    .post('/api/v1/samples')
    .set(asLab(LEDONG_LAB.orgId, '469027'))
    .send({ taskId, traceCode, place: { address: '乐东县佛罗镇丹村豇豆基地', regionCode: '469027', lat: 18.601234, lon: 108.780512 }, sampledAt: new Date(Date.now() - 3_600_000).toISOString(), sampler: { name: '王抽样', certificateNo: 'HN-0231' }, quantity: { amount: 2, unit: 'kg' } })
    .expect(201);
  return res.body.sampleId as string;
}

export function recordResult(t: TestApp, sampleId: string, analytes: unknown[], lab = LEDONG_LAB.orgId) {
  return t.http.post(`/api/v1/samples/${sampleId}/results`).set(asLab(lab, '469027')).send({ analytes, testedAt: new Date(Date.now() - 60_000).toISOString(), reportNo: `R-${sampleId.slice(0, 8)}` });
}

/** Polls until `check` returns a truthy value (the process manager works asynchronously). */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
