import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, verify } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Response } from 'supertest';
import { ensureBootstrapAdmin } from '../../application/accounts/bootstrap-admin';
import { sealCheckpoints } from '../../application/audit/checkpoints';
import { lotUri } from '../../application/reports/epcis/epcis-document';
import { FSMA_COLUMNS, type FsmaTab } from '../../application/reports/xlsx/fsma-columns';
import type { Role } from '../../domain/shared/actor';
import { argon2Hasher } from '../../infrastructure/system/argon2-hasher';
import { interopAvailable, interopFile } from '../unit/application/reports/support/interop';
import { entityBody } from './support/fixtures';
import { COWPEA_MODEL, cstDate, FAILING_RESULT } from './support/quality-fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Issue 12's report acceptance over HTTP with real accounts (AUTH=tokens), on the three-province chain of
 * incident-recall.spec.ts (乐东 → 广州白云 → 北京朝阳): while the response runs, the origin county downloads
 * the incident's report as EPCIS 2.0 (valid against GS1's schema), FSMA 204 XLSX (the template's columns in
 * order) and a Chinese PDF (text extracted, font embedded, signature verified against the ledger key and the
 * sealed checkpoint) — every holder with contact, each read logged with the incident id. After the close the
 * same downloads are cut to the county's own lot again; a county the incident does not concern is refused.
 */
const PASSWORD = 'Incident-Report-2026';
const PUBLIC_URL = 'http://suyuan.test';
const TABS: FsmaTab[] = ['Harvesting', 'Initial Packing', 'Shipping', 'Receiving', 'Transformation'];
const GD_PHONE = '13902010002';
const BJ_PHONE = '13701100003';
type Headers = Record<string, string>;

/** Whether a command-line tool runs at all (pdfdetach answers `-v` with status 99, so only a missing binary counts). */
const has = (tool: string) => {
  try {
    execFileSync(tool, ['-v'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
};
const POPPLER = has('pdftotext') && has('pdfdetach');

describe('incident reports (PDF, XLSX, EPCIS) during and after the response, across three provinces (tokens)', () => {
  let t: TestApp;
  let admin: Headers;
  let ledong: Headers;
  let ledongUserId: string;
  let baiyun: Headers;
  let xiuying: Headers;
  const producers: Record<'origin' | 'gd' | 'bj', { entityId: string; headers: Headers; lot: string }> = {} as never;
  let incidentId: string;
  let validateEpcis: ((doc: unknown) => boolean) & { errors?: unknown };
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-reports-'));

  const login = async (username: string, password: string) => {
    const res = await t.http.post('/api/v1/auth/login').send({ username, password }).expect(200);
    const userId = res.body.account.accountId as string;
    if (!res.body.account.mustChangePassword) return { headers: { Authorization: `Bearer ${res.body.token}` }, userId };
    const changed = await t.http.post('/api/v1/auth/password').set({ Authorization: `Bearer ${res.body.token}` }).send({ currentPassword: password, newPassword: `${password}-own` }).expect(200);
    return { headers: { Authorization: `Bearer ${changed.body.token}` }, userId };
  };
  const create = async (by: Headers, username: string, role: Role, regionCode: string) => {
    const made = await t.http.post('/api/v1/accounts').set(by).send({ username, password: PASSWORD, displayName: username, role, regionCode, orgName: username });
    if (made.status !== 201) throw new Error(`account ${username}: ${made.status} ${JSON.stringify(made.body)}`);
    return login(username, PASSWORD);
  };
  const producer = async (county: Headers, body: Record<string, unknown>) => {
    const applied = await t.http.post('/api/v1/entities').send(entityBody(body)).expect(201);
    const approved = (await t.http.post(`/api/v1/entities/${applied.body.entityId}/approve`).set(county).send({}).expect(200)).body;
    const { headers } = await login(approved.account.username, approved.account.initialPassword);
    return { entityId: applied.body.entityId as string, eid: approved.eid as string, headers };
  };
  const ship = async (from: Headers, fromTraceCode: string, eid: string, amount: number) =>
    (await t.http.post('/api/v1/transfers').set(from).send({ fromTraceCode, quantity: { amount, unit: 'kg' }, to: { kind: 'registered', eid } }).expect(201)).body.transferId as string;
  const confirm = async (to: Headers, transferId: string) => (await t.http.post(`/api/v1/transfers/${transferId}/confirm`).set(to).send({}).expect(200)).body.childTraceCode as string;

  /** The raw bytes of a download (supertest buffers text only by default). */
  const download = (h: Headers, query: string, id = incidentId): Promise<Response> =>
    t.http
      .get(`/api/v1/incidents/${id}/report${query}`)
      .set(h)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
  const ok = async (h: Headers, format: 'pdf' | 'xlsx' | 'epcis') => {
    const res = await download(h, `?format=${format}`);
    if (res.status !== 200) throw new Error(`report ${format}: ${res.status} ${res.body.toString('utf8')}`);
    return res;
  };
  const epcisOf = async (h: Headers) => {
    const res = await ok(h, 'epcis');
    expect(res.headers['content-type']).toMatch(/^application\/ld\+json/);
    return JSON.parse((res.body as Buffer).toString('utf8')) as { epcisBody: { eventList: { type: string; bizStep: string; quantityList?: { epcClass: string }[]; outputQuantityList?: { epcClass: string }[] }[] } };
  };
  const workbookOf = async (h: Headers) => {
    const res = await ok(h, 'xlsx');
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="incident-${incidentId}-report.xlsx"`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ArrayBuffer);
    return wb;
  };
  const sheetText = (wb: ExcelJS.Workbook) =>
    wb.worksheets.map((ws) => ws.getSheetValues().map((row) => (Array.isArray(row) ? row.join('\t') : '')).join('\n')).join('\n');
  const pdfOf = async (h: Headers, name: string) => {
    const res = await ok(h, 'pdf');
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The CJK font is embedded (a subset), not referenced: the PDF renders Chinese on a machine without it.
    expect(pdf.toString('latin1')).toMatch(/\/FontFile[23]?/);
    const file = path.join(scratch, `${name}.pdf`);
    fs.writeFileSync(file, pdf);
    return { pdf, file };
  };
  const pdfText = (file: string) => execFileSync('pdftotext', [file, '-']).toString('utf8');
  const allLotUris = () => [producers.origin.lot, producers.gd.lot, producers.bj.lot].map((c) => lotUri(PUBLIC_URL, c));
  const urisIn = (doc: Awaited<ReturnType<typeof epcisOf>>) =>
    new Set(doc.epcisBody.eventList.flatMap((e) => [...(e.quantityList ?? []), ...(e.outputQuantityList ?? [])].map((q) => q.epcClass)));

  beforeAll(async () => {
    if (!POPPLER) console.warn('\n!!! incident-reports: pdftotext/pdfdetach (poppler-utils) absent: the PDF text and signature assertions are SKIPPED (font embedding is still checked) !!!\n');
    if (interopAvailable('incident report EPCIS validation')) {
      const ajv = new Ajv({ strict: false, allErrors: true });
      addFormats(ajv);
      validateEpcis = ajv.compile(JSON.parse(fs.readFileSync(interopFile('EPCIS-JSON-Schema.json'), 'utf8')));
    }
    t = await startTestApp({ AUTH: 'tokens', RATE_LIMIT_LOGIN_PER_MIN: '1000', RATE_LIMIT_PUBLIC_PER_MIN: '100000' });
    await ensureBootstrapAdmin(t.platform, argon2Hasher, PASSWORD);
    admin = (await login('admin', PASSWORD)).headers;
    const hnProvince = (await create(admin, 'hn-province', 'province-admin', '46')).headers;
    const hnCity = (await create(hnProvince, 'hn-city', 'city-admin', '4690')).headers;
    const ledongAccount = await create(hnCity, 'ledong-county', 'county-admin', '469027');
    ledong = ledongAccount.headers;
    ledongUserId = ledongAccount.userId;
    const lab = (await create(ledong, 'ledong-lab', 'lab', '469027')).headers;
    // A Hainan county the chain never touches (海口 秀英区).
    const haikou = (await create(hnProvince, 'haikou-city', 'city-admin', '4601')).headers;
    xiuying = (await create(haikou, 'xiuying-county', 'county-admin', '460105')).headers;
    const gdProvince = (await create(admin, 'gd-province', 'province-admin', '44')).headers;
    const gzCity = (await create(gdProvince, 'gz-city', 'city-admin', '4401')).headers;
    baiyun = (await create(gzCity, 'baiyun-county', 'county-admin', '440111')).headers;
    const bjProvince = (await create(admin, 'bj-province', 'province-admin', '11')).headers;
    const bjCity = (await create(bjProvince, 'bj-city', 'city-admin', '1101')).headers;
    const chaoyang = (await create(bjCity, 'chaoyang-county', 'county-admin', '110105')).headers;

    const origin = await producer(ledong, { name: '乐东佛罗豇豆合作社', contactPhone: '13807610001' });
    const gd = await producer(baiyun, {
      name: '广州江南果菜批发市场',
      regionCode: '440111',
      address: '广州市白云区',
      contactPhone: GD_PHONE,
      bases: [{ name: '冷库', regionCode: '440111', address: '白云区', lat: 23.201234, lon: 113.272345, products: ['豇豆'] }],
    });
    const bj = await producer(chaoyang, {
      name: '北京朝阳生鲜超市',
      regionCode: '110105',
      address: '北京市朝阳区',
      contactPhone: BJ_PHONE,
      bases: [{ name: '门店', regionCode: '110105', address: '朝阳区', lat: 39.921234, lon: 116.443456, products: ['豇豆'] }],
    });
    const originLot = (await t.http.post('/api/v1/lots').set(origin.headers).send({ entityId: origin.entityId, baseId: 'B1', product: '豇豆', quantity: { amount: 1000, unit: 'kg' }, productionDate: cstDate(-2) }).expect(201)).body.traceCode as string;
    const gdLot = await confirm(gd.headers, await ship(origin.headers, originLot, gd.eid, 300));
    const bjLot = await confirm(bj.headers, await ship(gd.headers, gdLot, bj.eid, 100));
    producers.origin = { ...origin, lot: originLot };
    producers.gd = { ...gd, lot: gdLot };
    producers.bj = { ...bj, lot: bjLot };

    const labOrg = { orgId: 'org-lab-469027-ledong-lab', name: '乐东县农产品质量安全检测站' };
    const taskId = (
      await t.http
        .post('/api/v1/tasks')
        .set(hnProvince)
        .send({ kind: 'special', title: '豇豆农药残留专项监测', regionCode: '460000', period: { from: cstDate(-10), to: cstDate(10) }, leadLab: labOrg, publisherName: '海南省农业农村厅' })
        .expect(201)
    ).body.taskId as string;
    await t.http.post(`/api/v1/tasks/${taskId}/model`).set(lab).send({ model: COWPEA_MODEL }).expect(200);
    await t.http.post(`/api/v1/tasks/${taskId}/distribute`).set(lab).send({ assignments: [{ ...labOrg, regionCode: '469027', quota: 20 }] }).expect(200);
    const sampleId = (
      await t.http
        .post('/api/v1/samples')
        .set(lab)
        .send({ taskId, traceCode: originLot, place: { address: '乐东县佛罗镇丹村豇豆基地', regionCode: '469027', lat: 18.601234, lon: 108.780512 }, sampledAt: new Date(Date.now() - 3_600_000).toISOString(), sampler: { name: '王抽样', certificateNo: 'HN-0231' }, quantity: { amount: 2, unit: 'kg' } })
        .expect(201)
    ).body.sampleId as string;
    await t.http.post(`/api/v1/samples/${sampleId}/results`).set(lab).send({ analytes: FAILING_RESULT, testedAt: new Date(Date.now() - 60_000).toISOString(), reportNo: 'R-HN-0001' }).expect(201);

    incidentId = (
      await t.http
        .post(`/api/v1/samples/${sampleId}/incident`)
        .set(ledong)
        .send({ responsible: { userId: ledongUserId, name: '乐东县农业农村局 李科长', phone: '0898-85521234' }, level: 'serious' })
        .expect(201)
    ).body.incidentId as string;
    await t.http.post(`/api/v1/incidents/${incidentId}/review`).set(ledong).send({ decision: 'start-response', opinion: '同意启动应急处置', recallDeadlineHours: 48 }).expect(200);
    // Every holder acknowledges; the origin and Guangdong report, Beijing not yet (progress below 100 %).
    for (const p of [origin, gd, bj]) await t.http.post(`/api/v1/recalls/${incidentId}/${p.entityId}/acknowledge`).set(p.headers).send({ note: '已收到' }).expect(200);
    await t.http.post(`/api/v1/recalls/${incidentId}/${origin.entityId}/report`).set(origin.headers).send({ lots: [{ traceCode: originLot, recovered: { amount: 650, unit: 'kg' }, destroyed: { amount: 50, unit: 'kg' } }] }).expect(200);
    await t.http.post(`/api/v1/recalls/${incidentId}/${gd.entityId}/report`).set(gd.headers).send({ lots: [{ traceCode: gdLot, recovered: { amount: 150, unit: 'kg' }, soldToConsumers: { amount: 50, unit: 'kg' } }] }).expect(200);
    // The PDF is anchored to the latest sealed checkpoint (the sealing job is off in tests).
    await sealCheckpoints(t.platform.ledger, t.platform.signer, () => new Date());
  }, 180_000);
  afterAll(async () => {
    fs.rmSync(scratch, { recursive: true, force: true });
    await t?.close();
  });

  it('bad input: an unknown incident is 404, an unknown or missing format a 400 naming `format`', async () => {
    const unknown = await download(ledong, '?format=pdf', 'INC-does-not-exist');
    expect(unknown.status).toBe(404);
    expect(JSON.parse((unknown.body as Buffer).toString('utf8'))).toMatchObject({ error: 'NOT_FOUND', details: { what: 'incident', id: 'INC-does-not-exist' } });
    for (const query of ['?format=docx', '']) {
      const bad = await download(ledong, query);
      expect(bad.status).toBe(400);
      const body = JSON.parse((bad.body as Buffer).toString('utf8'));
      expect(body).toMatchObject({ error: 'VALIDATION_FAILED', details: { field: 'format' } });
    }
  });

  it('documents the route’s three media types in the OpenAPI document', async () => {
    const doc = (await t.http.get('/api/docs/openapi.json').expect(200)).body;
    const op = doc.paths['/api/v1/incidents/{id}/report'].get;
    expect(Object.keys(op.responses['200'].content).sort()).toEqual(['application/ld+json', 'application/pdf', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    expect(op.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'format', in: 'query', required: true, schema: expect.objectContaining({ enum: ['pdf', 'xlsx', 'epcis'] }) })]));
    expect(op.security).toEqual([{ bearer: [] }]);
  });

  it('during the response: the EPCIS document holds the whole chain and validates against GS1’s schema', async () => {
    const doc = await epcisOf(ledong);
    if (validateEpcis) {
      const valid = validateEpcis(doc);
      expect(validateEpcis.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    }
    expect(urisIn(doc)).toEqual(new Set(allLotUris()));
    const count = (type: string, bizStep: string) => doc.epcisBody.eventList.filter((e) => e.type === type && e.bizStep === bizStep).length;
    // One origin, two confirmed hand-overs: commissioning, then shipping + receiving + a split per hand-over.
    expect([count('ObjectEvent', 'commissioning'), count('ObjectEvent', 'shipping'), count('ObjectEvent', 'receiving'), count('TransformationEvent', 'commissioning')]).toEqual([1, 2, 2, 2]);
    // The affected Guangdong county sees it whole as well (its agency is a grantee of the response).
    expect(urisIn(await epcisOf(baiyun))).toEqual(new Set(allLotUris()));
  });

  it('during the response: the XLSX has the FSMA 204 tabs with the template’s columns in order, and every holder’s contact', async () => {
    const wb = await workbookOf(ledong);
    expect(wb.worksheets.map((w) => w.name)).toEqual([...TABS, '追溯链条数据表']);
    const transcription = interopAvailable('incident report FSMA columns') ? fs.readFileSync(interopFile('fsma204-sortable-spreadsheet-columns.md'), 'utf8') : null;
    for (const tab of TABS) {
      const header = (wb.getWorksheet(tab)!.getRow(1).values as unknown[]).slice(1);
      expect(header).toEqual(FSMA_COLUMNS[tab]);
      // The column count the FDA template has for this tab, as transcribed in ../shared/interop.
      if (transcription) expect(header.length).toBe(Number(new RegExp(`## ${tab} \\((\\d+)`).exec(transcription)![1]));
    }
    expect(wb.getWorksheet('Shipping')!.rowCount - 1).toBe(2);
    expect(wb.getWorksheet('Receiving')!.rowCount - 1).toBe(2);
    const text = sheetText(wb);
    for (const p of Object.values(producers)) expect(text).toContain(p.lot);
    expect(text).toContain(GD_PHONE);
    expect(text).toContain(BJ_PHONE);
  });

  it('during the response: the PDF renders the incident, chain and recall in Chinese, signed over the sealed checkpoint', async () => {
    const { file } = await pdfOf(ledong, 'responding');
    if (!POPPLER) {
      console.warn('!!! incident-reports: PDF text and signature not checked: poppler-utils absent (SKIPPED) !!!');
      return;
    }
    const text = pdfText(file);
    for (const phrase of ['追溯查询报告', '应急事件', '较大', '应急处置中', '检测不合格', '乐东县农业农村局 李科长', '农业农村部', '召回进度', '追溯链条数据表', '验证信息', '乐东佛罗豇豆合作社', '广州江南果菜批发市场', '北京朝阳生鲜超市']) {
      expect(text).toContain(phrase);
    }
    for (const p of Object.values(producers)) expect(text).toContain(p.lot);
    expect(text).toContain(GD_PHONE);
    // 650 + 50 of the origin's 700 and 150 + 50 of Guangdong's 200; Beijing's 100 not yet: 900 / 1000.
    expect(text).toContain('已落实 900 / 涉及 1000 kg（90.0 %）');

    // A reader's verification: the attachment's SHA-256 is printed and signed, the statement verifies with
    // the ledger key, and the checkpoint it names is the one GET /audit/checkpoints lists.
    execFileSync('pdfdetach', ['-saveall', '-o', scratch, file]);
    const attachment = fs.readFileSync(path.join(scratch, 'report-data.json'));
    const data = JSON.parse(attachment.toString('utf8'));
    expect(data.incident).toMatchObject({ incidentId, level: '较大', leadAgency: { regionCode: '', name: '农业农村部' } });
    expect(data.recall).toMatchObject({ unit: 'kg', affected: 1000, accountedFor: 900 });
    const sha = createHash('sha256').update(attachment).digest('hex');
    expect(text).toContain(sha);
    const between = (from: string, to: string) => text.slice(text.indexOf(from) + from.length, text.indexOf(to)).replace(/\s+/g, '');
    const statement = between('签名声明 (canonical JSON)', '报告签名 (Ed25519, base64)');
    const signature = between('报告签名 (Ed25519, base64)', '台账公钥');
    // Anchored to the newest signed tree head (decision 0018): its size, last position and root.
    const { publicKeyPem, treeHeads } = (await t.http.get('/api/v1/audit/tree-heads').set(admin).expect(200)).body;
    const last = treeHeads[treeHeads.length - 1];
    expect(JSON.parse(statement)).toMatchObject({ type: 'suyuan-trace-report', contentSha256: sha, checkpoint: { sequence: last.treeSize, toPosition: last.lastPosition, merkleRoot: last.rootHash } });
    expect(verify(null, Buffer.from(statement, 'utf8'), createPublicKey(publicKeyPem), Buffer.from(signature, 'base64'))).toBe(true);
  });

  it('logs every download in the access log with the incident whose grant opened the chain', async () => {
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    const log = await t.platform.ledger.store.readStream(`access-${ledongUserId}-${day}`);
    const reads = log.filter((e) => e.type === 'DataAccessed' && String(e.data.path).includes(`/incidents/${incidentId}/report`) && e.data.status === 200);
    expect(reads.length).toBeGreaterThanOrEqual(3);
    for (const r of reads) expect(r.data.grants).toEqual([expect.objectContaining({ incidentId })]);
  });

  it('after the close the reports are cut to the county’s own lot again; a county the incident does not concern is refused', async () => {
    await t.http.post(`/api/v1/recalls/${incidentId}/${producers.bj.entityId}/report`).set(producers.bj.headers).send({ lots: [{ traceCode: producers.bj.lot, destroyed: { amount: 100, unit: 'kg' } }] }).expect(200);
    await t.http
      .post(`/api/v1/incidents/${incidentId}/close`)
      .set(ledong)
      .send({ record: { summary: '豇豆农残超标事件处置完毕', cause: '违规使用克百威', measures: '召回、销毁、立案查处', outcome: '全部批次已追回或销毁' } })
      .expect(200);
    // The chain route's answer, which the reports follow.
    expect((await t.http.get(`/api/v1/incidents/${incidentId}/chain`).set(ledong).expect(200)).body.redactedCount).toBe(2);

    const doc = await epcisOf(ledong);
    if (validateEpcis) expect(validateEpcis(doc)).toBe(true);
    expect(urisIn(doc)).toEqual(new Set([lotUri(PUBLIC_URL, producers.origin.lot)]));
    const json = JSON.stringify(doc);
    expect(json).not.toContain(producers.gd.lot);
    expect(json).not.toContain(producers.bj.lot);

    const text = sheetText(await workbookOf(ledong));
    expect(text).toContain(producers.origin.lot);
    for (const hidden of [producers.gd.lot, producers.bj.lot, GD_PHONE, BJ_PHONE, '北京朝阳生鲜超市']) expect(text).not.toContain(hidden);

    const { file } = await pdfOf(ledong, 'closed');
    if (POPPLER) {
      const pdf = pdfText(file);
      expect(pdf).toContain('已关闭');
      expect(pdf).toContain('已落实 1000 / 涉及 1000 kg（100.0 %）');
      // Recall progress keeps the other holders' region and quantities, not their names.
      expect(pdf).toContain('辖区外主体');
      for (const hidden of [producers.gd.lot, producers.bj.lot, GD_PHONE, BJ_PHONE, '北京朝阳生鲜超市', '广州江南果菜批发市场']) expect(pdf).not.toContain(hidden);
    } else {
      console.warn('!!! incident-reports: closed PDF text not checked: poppler-utils absent (SKIPPED) !!!');
    }

    // 秀英 (Hainan, outside the chain): refused, as the chain route refuses it.
    const chain = await t.http.get(`/api/v1/incidents/${incidentId}/chain`).set(xiuying);
    const report = await download(xiuying, '?format=epcis');
    expect([chain.status, report.status]).toEqual([403, 403]);
    expect(JSON.parse((report.body as Buffer).toString('utf8'))).toMatchObject({ error: 'OUT_OF_SCOPE' });
  });
});
