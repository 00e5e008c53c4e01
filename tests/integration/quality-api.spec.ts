import { createLot, registeredEntity, ship } from './support/fixtures';
import {
  asEnforcement,
  asLab,
  asMinistry,
  asProvince,
  cstDate,
  eventually,
  FAILING_RESULT,
  LEAD_LAB,
  LEDONG_LAB,
  openTask,
  recordResult,
  sampleLot,
} from './support/quality-fixtures';
import { asCounty, asProducer, startTestApp, type TestApp } from './support/test-app';

const asInspector = { 'X-Role': 'inspector', 'X-Org-Id': 'county-469027', 'X-User-Id': 'u-insp-li', 'X-Region': '469027' };

describe('quality and safety API', () => {
  let t: TestApp;
  let a: { entityId: string; eid: string };
  let taskId: string;
  let sampleId: string;
  let caseId: string;
  let warningId: string;
  let inspectionId: string;
  let faultId: string;
  let lot: string;

  beforeAll(async () => {
    t = await startTestApp();
    a = await registeredEntity(t);
    lot = await createLot(t, a.entityId, 500);
    taskId = await openTask(t);
    sampleId = await sampleLot(t, taskId, lot);
    const failed = await recordResult(t, sampleId, FAILING_RESULT).expect(201);
    caseId = failed.body.caseId;
    warningId = failed.body.warnings[0].warningId;
    inspectionId = (
      await t.http.post('/api/v1/inspections').set(asCounty('469027')).send({ title: '豇豆基地巡查', regionCode: '469027', inspectors: [{ userId: 'u-insp-li', name: '李巡查' }], dueDate: cstDate(10) }).expect(201)
    ).body.inspectionId;
    faultId = (
      await t.http
        .post('/api/v1/faults')
        .set(asMinistry())
        .send({ level: 1, occurredAt: new Date(Date.now() - 60_000).toISOString(), place: '机房', description: '图片无法显示', affectedScope: '少数用户', measures: '重启图片服务', expectedRecoveryAt: new Date(Date.now() + 3_600_000).toISOString(), reporter: { name: '值班' } })
        .expect(201)
    ).body.faultId;
  });
  afterAll(async () => t.close());

  describe('bad input: 400 naming the field, nothing appended', () => {
    const cases: [string, 'post' | 'patch' | 'get', () => string, Record<string, string>, () => object, string][] = [
      ['publish task: unknown kind', 'post', () => '/api/v1/tasks', asProvince(), () => ({ kind: 'annual', title: 'x', regionCode: '460000', period: { from: cstDate(), to: cstDate(1) }, leadLab: LEAD_LAB }), 'kind'],
      ['publish task: region not 6 digits', 'post', () => '/api/v1/tasks', asProvince(), () => ({ kind: 'routine', title: 'x', regionCode: '46', period: { from: cstDate(), to: cstDate(1) }, leadLab: LEAD_LAB }), 'regionCode'],
      ['publish task: region unknown (domain)', 'post', () => '/api/v1/tasks', asMinistry(), () => ({ kind: 'routine', title: 'x', regionCode: '999999', period: { from: cstDate(), to: cstDate(1) }, leadLab: LEAD_LAB }), 'regionCode'],
      ['publish task: period reversed (domain)', 'post', () => '/api/v1/tasks', asProvince(), () => ({ kind: 'routine', title: 'x', regionCode: '460000', period: { from: cstDate(1), to: cstDate() }, leadLab: LEAD_LAB }), 'period.to'],
      ['model: zero limit', 'post', () => `/api/v1/tasks/${taskId}/model`, asLab(LEAD_LAB.orgId), () => ({ model: { products: ['豇豆'], standard: 'GB', analytes: [{ code: 'x', name: 'x', limit: { kind: 'max', value: 0, unit: 'mg/kg' } }] } }), 'model.analytes.0.limit.value'],
      ['distribute: no labs', 'post', () => `/api/v1/tasks/${taskId}/distribute`, asLab(LEAD_LAB.orgId), () => ({ assignments: [] }), 'assignments'],
      ['spot-check draw: count 0', 'post', () => `/api/v1/tasks/${taskId}/spot-check-selection`, asLab(LEAD_LAB.orgId), () => ({ count: 0 }), 'count'],
      ['lab report: empty note', 'post', () => `/api/v1/tasks/${taskId}/lab-reports`, asLab(LEDONG_LAB.orgId), () => ({ note: '' }), 'note'],
      ['task report: no conclusion', 'post', () => `/api/v1/tasks/${taskId}/report`, asLab(LEAD_LAB.orgId), () => ({}), 'conclusion'],
      ['sample: neither trace code nor manual', 'post', () => '/api/v1/samples', asLab(LEDONG_LAB.orgId), () => ({ taskId, place: { address: 'x', regionCode: '469027' }, sampledAt: new Date().toISOString(), sampler: { name: 'x' } }), 'traceCode'],
      ['sample: sampledAt not a date-time', 'post', () => '/api/v1/samples', asLab(LEDONG_LAB.orgId), () => ({ taskId, traceCode: lot, place: { address: 'x', regionCode: '469027' }, sampledAt: 'yesterday', sampler: { name: 'x' } }), 'sampledAt'],
      ['sample: forged trace code (domain)', 'post', () => '/api/v1/samples', asLab(LEDONG_LAB.orgId), () => ({ taskId, traceCode: lot.slice(0, -1) + (lot.endsWith('0') ? '1' : '0'), place: { address: 'x', regionCode: '469027' }, sampledAt: new Date().toISOString(), sampler: { name: 'x' } }), 'traceCode'],
      ['sample: place outside the task region (domain)', 'post', () => '/api/v1/samples', asLab(LEDONG_LAB.orgId), () => ({ taskId, traceCode: lot, place: { address: 'x', regionCode: '370686' }, sampledAt: new Date().toISOString(), sampler: { name: 'x' } }), 'place.regionCode'],
      ['result: no analytes', 'post', () => `/api/v1/samples/${sampleId}/results`, asLab(LEDONG_LAB.orgId), () => ({ analytes: [], testedAt: new Date().toISOString() }), 'analytes'],
      ['result: negative value', 'post', () => `/api/v1/samples/${sampleId}/results`, asLab(LEDONG_LAB.orgId), () => ({ analytes: [{ code: 'clothianidin', value: -1, unit: 'mg/kg' }], testedAt: new Date().toISOString() }), 'analytes.0.value'],
      ['retest: no lab', 'post', () => `/api/v1/samples/${sampleId}/retest`, asProvince(), () => ({ reason: '异议', requestedBy: '企业' }), 'retestLab'],
      ['acknowledge: empty note', 'post', () => `/api/v1/risk-warnings/${warningId}/acknowledge`, asCounty('469027'), () => ({ note: '' }), 'note'],
      ['close warning: bad resolution', 'post', () => `/api/v1/risk-warnings/${warningId}/close`, asCounty('469027'), () => ({ reason: 'x', resolution: 'forgotten' }), 'resolution'],
      ['define rule: unknown indicator', 'post', () => '/api/v1/risk-rules', asMinistry(), () => ({ rule: { ruleId: 'x', indicator: 'weather', name: 'x', level: 'red' } }), 'rule.indicator'],
      ['define rule: parameter out of range (domain)', 'post', () => '/api/v1/risk-rules', asMinistry(), () => ({ rule: { ruleId: 'x', indicator: 'repeatedFailures', name: 'x', level: 'red', params: { count: 1, windowDays: 30 } } }), 'rule.params.count'],
      ['update rule: unknown level', 'patch', () => '/api/v1/risk-rules/failed-result', asMinistry(), () => ({ level: 'purple' }), 'level'],
      ['case action: unknown kind', 'post', () => `/api/v1/cases/${caseId}/actions`, asEnforcement(), () => ({ kind: 'arrest', description: 'x' }), 'kind'],
      ['close case: penalty without amount (domain)', 'post', () => `/api/v1/cases/${caseId}/close`, asEnforcement(), () => ({ outcome: 'penalized', summary: '罚款' }), 'penaltyYuan'],
      ['publish inspection: no inspectors', 'post', () => '/api/v1/inspections', asCounty('469027'), () => ({ title: 'x', regionCode: '469027', inspectors: [], dueDate: cstDate(1) }), 'inspectors'],
      ['inspection record: unknown severity', 'post', () => `/api/v1/inspections/${inspectionId}/records`, asInspector, () => ({ subject: { kind: 'registered', eid: a.eid }, visitedAt: new Date().toISOString(), findings: [{ description: 'x', severity: 'huge' }], conclusion: 'x' }), 'findings.0.severity'],
      ['inspection record: bad e-ID (domain)', 'post', () => `/api/v1/inspections/${inspectionId}/records`, asInspector, () => ({ subject: { kind: 'registered', eid: 'NOPE' }, visitedAt: new Date().toISOString(), findings: [], conclusion: 'x' }), 'subject.eid'],
      ['inspection referral: empty note', 'post', () => `/api/v1/inspections/${inspectionId}/records/r-1/referral`, asInspector, () => ({ note: '' }), 'note'],
      ['complete inspection: no summary', 'post', () => `/api/v1/inspections/${inspectionId}/complete`, asCounty('469027'), () => ({}), 'summary'],
      ['report fault: level 4', 'post', () => '/api/v1/faults', asMinistry(), () => ({ level: 4, occurredAt: new Date().toISOString(), place: 'x', description: 'x', affectedScope: 'x', measures: 'x', expectedRecoveryAt: new Date().toISOString(), reporter: { name: 'x' } }), 'level'],
      ['report fault: recovery before occurrence (domain)', 'post', () => '/api/v1/faults', asMinistry(), () => ({ level: 1, occurredAt: new Date().toISOString(), place: 'x', description: 'x', affectedScope: 'x', measures: 'x', expectedRecoveryAt: new Date(Date.now() - 86_400_000).toISOString(), reporter: { name: 'x' } }), 'expectedRecoveryAt'],
      ['fault progress: no note', 'post', () => `/api/v1/faults/${faultId}/progress`, asMinistry(), () => ({}), 'note'],
      ['reclassify fault: level 5', 'post', () => `/api/v1/faults/${faultId}/reclassify`, asMinistry(), () => ({ level: 5, reason: 'x' }), 'level'],
      ['resolve fault: empty resolution', 'post', () => `/api/v1/faults/${faultId}/resolve`, asMinistry(), () => ({ resolution: '' }), 'resolution'],
      ['list warnings: unknown level', 'get', () => '/api/v1/risk-warnings?level=purple', asMinistry(), () => ({}), 'level'],
    ];

    it.each(cases)('%s', async (_name, method, url, headers, body, field) => {
      await t.platform.runner.waitFor(await t.platform.adapters.eventStore.headPosition());
      const before = await t.platform.adapters.eventStore.headPosition();
      const req = t.http[method](url()).set(headers);
      const res = await (method === 'get' ? req : req.send(body())).expect(400);
      expect(res.body).toMatchObject({ error: 'VALIDATION_FAILED', details: { field } });
      expect(res.body.message).toContain(field.split('.')[0]!);
      expect(await t.platform.adapters.eventStore.headPosition()).toBe(before);
    });
  });

  describe('who may do what', () => {
    it('refuses the wrong lab, a result twice, a producer publishing, a foreign region', async () => {
      const other = await recordResult(t, sampleId, FAILING_RESULT, 'lab-elsewhere').expect(409);
      expect(other.body.error).toBe('INVALID_STATE');
      await t.http.post('/api/v1/tasks').set(asProducer(a.entityId)).send({}).expect(403);
      await t.http.get(`/api/v1/cases/${caseId}`).set(asEnforcement('370686')).expect(403);
      await t.http.get(`/api/v1/samples/${sampleId}`).set(asLab('lab-elsewhere')).expect(404);
      await t.http.post('/api/v1/risk-rules').set(asProvince()).send({ rule: {} }).expect(403);
    });
  });

  describe('warnings lifecycle', () => {
    it('acknowledged, then closed: the warning is handled, but the lot stays on hold until its owner (the case) decides', async () => {
      expect((await t.http.get(`/api/v1/trace/${lot}`).expect(200)).body.status).toBe('on-hold');
      await t.http.post(`/api/v1/risk-warnings/${warningId}/acknowledge`).set(asCounty('469027')).send({ note: '已责令下架' }).expect(200);
      await t.http.post(`/api/v1/risk-warnings/${warningId}/acknowledge`).set(asCounty('469027')).send({}).expect(409);
      await t.http.post(`/api/v1/risk-warnings/${warningId}/close`).set(asCounty('370686')).send({ reason: 'x' }).expect(403);
      const closed = await t.http.post(`/api/v1/risk-warnings/${warningId}/close`).set(asCounty('469027')).send({ reason: '已销毁不合格批次', resolution: 'handled' }).expect(200);
      expect(closed.body.status).toBe('closed');
      const w = await t.http.get(`/api/v1/risk-warnings/${warningId}`).set(asMinistry()).expect(200);
      expect(w.body).toMatchObject({ state: 'closed', resolution: 'handled', note: '已责令下架' });
      expect((await t.http.get(`/api/v1/trace/${lot}`).expect(200)).body.status).toBe('on-hold');
    });
  });

  describe('enforcement cases', () => {
    it('records actions and closes with an outcome', async () => {
      await t.http.post(`/api/v1/cases/${caseId}/actions`).set(asEnforcement()).send({ kind: 'investigation', description: '现场检查农药使用记录' }).expect(201);
      await t.http.post(`/api/v1/cases/${caseId}/actions`).set(asEnforcement()).send({ kind: 'recall', description: '召回全部下游批次', takenOn: cstDate() }).expect(201);
      const closed = await t.http.post(`/api/v1/cases/${caseId}/close`).set(asEnforcement()).send({ outcome: 'penalized', summary: '没收违法所得并罚款', penaltyYuan: 50000 }).expect(200);
      expect(closed.body.liftedLots).toContain(lot);
      expect((await t.http.get(`/api/v1/trace/${lot}`).expect(200)).body.status).toBe('normal');
      const kase = await t.http.get(`/api/v1/cases/${caseId}`).set(asEnforcement()).expect(200);
      expect(kase.body).toMatchObject({ status: 'closed', outcome: 'penalized', penaltyYuan: 50000 });
      expect(kase.body.actions.map((x: { seq: number; kind: string }) => [x.seq, x.kind])).toEqual([
        [1, 'investigation'],
        [2, 'recall'],
      ]);
      const list = await t.http.get('/api/v1/cases').query({ status: 'closed' }).set(asEnforcement()).expect(200);
      expect(list.body.items.map((c: { _id: string }) => c._id)).toContain(caseId);
      await t.http.post(`/api/v1/cases/${caseId}/actions`).set(asEnforcement()).send({ kind: 'notice', description: 'x' }).expect(409);
    });
  });

  describe('inspections (基地巡查)', () => {
    it('an inspector records a visit by e-ID and one by hand; findings are referred and a case opens', async () => {
      const mine = await t.http.get('/api/v1/inspections').set(asInspector).expect(200);
      expect(mine.body.items.map((i: { _id: string }) => i._id)).toContain(inspectionId);
      const visit = await t.http
        .post(`/api/v1/inspections/${inspectionId}/records`)
        .set(asInspector)
        .send({ subject: { kind: 'registered', eid: a.eid }, visitedAt: new Date().toISOString(), checklist: [{ item: '农药使用记录', ok: false }], findings: [{ description: '仓库存放禁用农药克百威', severity: 'critical' }], conclusion: '移交执法' })
        .expect(201);
      await t.http
        .post(`/api/v1/inspections/${inspectionId}/records`)
        .set(asInspector)
        .send({ subject: { kind: 'unregistered', name: '符某某', regionCode: '469027', address: '佛罗镇', products: ['豇豆'] }, visitedAt: new Date().toISOString(), findings: [], conclusion: '未注册，已引导注册', guidedToRegister: true })
        .expect(201);
      await t.http
        .post(`/api/v1/inspections/${inspectionId}/records`)
        .set({ ...asInspector, 'X-User-Id': 'u-someone-else' })
        .send({ subject: { kind: 'registered', eid: a.eid }, visitedAt: new Date().toISOString(), findings: [], conclusion: 'x' })
        .expect(403);
      const referral = await t.http.post(`/api/v1/inspections/${inspectionId}/records/${visit.body.recordId}/referral`).set(asInspector).send({ note: '请依法查处' }).expect(201);
      const kase = await t.http.get(`/api/v1/cases/${referral.body.caseId}`).set(asEnforcement()).expect(200);
      expect(kase.body).toMatchObject({ status: 'open', referral: { kind: 'inspection', inspectionId, findings: ['仓库存放禁用农药克百威'] }, subject: { entityId: a.entityId, eid: a.eid } });
      await t.http.post(`/api/v1/inspections/${inspectionId}/complete`).set(asCounty('469027')).send({ summary: '巡查2家，移交1起' }).expect(200);
      const done = await t.http.get(`/api/v1/inspections/${inspectionId}`).set(asCounty('469027')).expect(200);
      expect(done.body).toMatchObject({ status: 'completed' });
      expect(done.body.records).toHaveLength(2);
      expect(done.body.records[1]).toMatchObject({ guidedToRegister: true, subject: { kind: 'unregistered' } });
    });
  });

  describe('spot checks (监督抽查)', () => {
    it('draws entities at random with a recorded seed; only drawn or key entities may be sampled', async () => {
      const candidates = [await registeredEntity(t), await registeredEntity(t), await registeredEntity(t), await registeredEntity(t)];
      const spot = await openTask(t, 'spotCheck');
      const drawn = await t.http.post(`/api/v1/tasks/${spot}/spot-check-selection`).set(asLab(LEAD_LAB.orgId)).send({ count: 2, seed: 'HN-2026-SC-0001', keyEntities: [candidates[0]!.entityId] }).expect(200);
      expect(drawn.body).toMatchObject({ seed: 'HN-2026-SC-0001', algorithm: 'xmur3-sfc32-fisher-yates/v1', count: 2, keyEntities: [candidates[0]!.entityId] });
      expect(drawn.body.selected).toHaveLength(2);
      expect(drawn.body.candidates).not.toContain(candidates[0]!.entityId);
      await t.http.post(`/api/v1/tasks/${spot}/spot-check-selection`).set(asLab(LEAD_LAB.orgId)).send({ count: 2 }).expect(409);
      const task = await t.http.get(`/api/v1/tasks/${spot}`).set(asProvince()).expect(200);
      expect(task.body.selection.selected).toEqual(drawn.body.selected);

      const key = candidates[0]!;
      await sampleLot(t, spot, await createLot(t, key.entityId, 50));
      const notDrawn = candidates.find((c) => c !== key && !drawn.body.selected.includes(c.entityId));
      if (notDrawn) {
        const res = await t.http
          .post('/api/v1/samples')
          .set(asLab(LEDONG_LAB.orgId, '469027'))
          .send({ taskId: spot, traceCode: await createLot(t, notDrawn.entityId, 50), place: { address: 'x', regionCode: '469027' }, sampledAt: new Date().toISOString(), sampler: { name: 'x' } })
          .expect(409);
        expect(res.body.error).toBe('ENTITY_NOT_SELECTED');
      }
    });
  });

  describe('risk rules', () => {
    it('lists the rules in force; the ministry changes a level and new warnings follow it', async () => {
      const rules = await t.http.get('/api/v1/risk-rules').set(asCounty('469027')).expect(200);
      expect(rules.body.rules.map((r: { ruleId: string }) => r.ruleId)).toEqual(['failed-result', 'repeated-failures', 'over-shipment', 'registration-overdue', 'transfer-unconfirmed']);
      const updated = await t.http.patch('/api/v1/risk-rules/failed-result').set(asMinistry()).send({ level: 'red' }).expect(200);
      expect(updated.body.rule).toMatchObject({ ruleId: 'failed-result', level: 'red' });
      const b = await registeredEntity(t);
      const s = await sampleLot(t, taskId, await createLot(t, b.entityId, 80));
      const res = await recordResult(t, s, FAILING_RESULT).expect(201);
      const w = await t.http.get(`/api/v1/risk-warnings/${res.body.warnings[0].warningId}`).set(asMinistry()).expect(200);
      expect(w.body).toMatchObject({ level: 'red', ruleId: 'failed-result', ruleSource: 'ledger' });
      await t.http.patch('/api/v1/risk-rules/failed-result').set(asMinistry()).send({ level: 'orange' }).expect(200);
    });

    it('repeated failures of one entity raise an entity warning', async () => {
      const c = await registeredEntity(t);
      for (let i = 0; i < 2; i++) await recordResult(t, await sampleLot(t, taskId, await createLot(t, c.entityId, 40)), FAILING_RESULT).expect(201);
      const warning = await eventually(async () => {
        const res = await t.http.get('/api/v1/risk-warnings').query({ indicator: 'repeatedFailures', entityId: c.entityId }).set(asMinistry()).expect(200);
        return res.body.items[0];
      });
      expect(warning).toMatchObject({ level: 'red', hold: false, subject: { kind: 'entity', entityId: c.entityId } });
      expect(warning.evidence.failures).toHaveLength(2);
    });

    it('repeated over-shipment attempts (suspected lot mixing) raise a warning; a single one does not', async () => {
      const d = await registeredEntity(t);
      const e = await registeredEntity(t);
      const code = await createLot(t, d.entityId, 100);
      const overShip = () => t.http.post('/api/v1/transfers').set(asProducer(d.entityId)).send({ fromTraceCode: code, quantity: { amount: 150, unit: 'kg' }, to: { kind: 'registered', eid: e.eid } }).expect(409);
      const warnings = async () => (await t.http.get('/api/v1/risk-warnings').query({ indicator: 'overShipmentAttempts', entityId: d.entityId }).set(asMinistry()).expect(200)).body.items;
      const head = await t.platform.adapters.eventStore.headPosition();
      await overShip();
      expect(await t.platform.adapters.eventStore.headPosition()).toBe(head); // the refused command appends nothing
      expect(await warnings()).toEqual([]);
      await overShip();
      const [w] = await eventually(async () => ((await warnings()).length ? warnings() : null));
      expect(w).toMatchObject({ level: 'yellow', traceCode: code, hold: false });
      expect(w.evidence.attempts).toHaveLength(2);
      expect(w.evidence.attempts[0]).toMatchObject({ requested: { amount: 150, unit: 'kg' }, available: { amount: 100, unit: 'kg' } });
      await ship(t, d.entityId, code, e.eid, 10); // an honest shipment is unaffected
    });
  });

  describe('hand-entered samples', () => {
    it('a failed unlabelled product raises a warning on the sample (no lot to hold) and opens a case', async () => {
      const res = await t.http
        .post('/api/v1/samples')
        .set(asLab(LEDONG_LAB.orgId, '469027'))
        .send({ taskId, manual: { product: '豇豆', entityName: '乐东某农贸市场摊位', regionCode: '469027', address: '抱由镇农贸市场' }, place: { address: '抱由镇农贸市场', regionCode: '469027' }, sampledAt: new Date(Date.now() - 3_600_000).toISOString(), sampler: { name: '王抽样' } })
        .expect(201);
      expect(res.body).toMatchObject({ traceCode: null, subject: { entityId: null, entityName: '乐东某农贸市场摊位' } });
      const result = await recordResult(t, res.body.sampleId, FAILING_RESULT).expect(201);
      expect(result.body.caseId).toEqual(expect.any(String));
      const w = await t.http.get(`/api/v1/risk-warnings/${result.body.warnings[0].warningId}`).set(asMinistry()).expect(200);
      expect(w.body).toMatchObject({ hold: false, subject: { kind: 'sample', sampleId: res.body.sampleId } });
    });
  });
});
