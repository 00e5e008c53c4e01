import ExcelJS from 'exceljs';
import { createLot, registeredEntity } from './support/fixtures';
import { asLab, asProvince, FAILING_RESULT, LEAD_LAB, LEDONG_LAB, openTask, PASSING_RESULT, recordResult, sampleLot } from './support/quality-fixtures';
import { asCounty, startTestApp, type TestApp } from './support/test-app';

/**
 * The lab's side of issue 15: re-tests issued to a lab are in its list (GET /samples?retest=requested), even
 * when another lab took the sample; and the summary table downloads as XLSX — one lab's samples, or the whole
 * task for the lead lab's report — with the verdicts that count.
 */
describe('lab: re-test requests and the summary table as XLSX', () => {
  let t: TestApp;
  let taskId: string;
  let failedId: string;
  let passedId: string;
  const ledong = asLab(LEDONG_LAB.orgId, '469027');
  const lead = asLab(LEAD_LAB.orgId);
  const settled = async () => t.platform.runner.waitFor(await t.platform.adapters.eventStore.headPosition());

  beforeAll(async () => {
    t = await startTestApp();
    const entity = await registeredEntity(t);
    taskId = await openTask(t);
    failedId = await sampleLot(t, taskId, await createLot(t, entity.entityId, 300));
    passedId = await sampleLot(t, taskId, await createLot(t, entity.entityId, 200));
    await recordResult(t, failedId, FAILING_RESULT).expect(201);
    await recordResult(t, passedId, PASSING_RESULT).expect(201);
    await settled();
  });
  afterAll(async () => t.close());

  it('a re-test issued to the lead lab is listed for it, not for the lab that took the sample', async () => {
    await t.http
      .post(`/api/v1/samples/${failedId}/retest`)
      .set(asCounty('469027'))
      .send({ reason: '受检主体对检测结果有异议', retestLab: { orgId: LEAD_LAB.orgId, name: LEAD_LAB.name }, requestedBy: '乐东县农业农村局' })
      .expect(201);
    await settled();
    const forLead = await t.http.get('/api/v1/samples').query({ retest: 'requested' }).set(lead).expect(200);
    expect(forLead.body.items.map((s: { sampleId: string }) => s.sampleId)).toEqual([failedId]);
    // Its ordinary list shows only samples it took itself.
    const leadOwn = await t.http.get('/api/v1/samples').set(lead).expect(200);
    expect(leadOwn.body.items).toEqual([]);
    const forLedong = await t.http.get('/api/v1/samples').query({ retest: 'requested' }).set(ledong).expect(200);
    expect(forLedong.body.items).toEqual([]);
    const forCounty = await t.http.get('/api/v1/samples').query({ retest: 'requested' }).set(asCounty('469027')).expect(200);
    expect(forCounty.body.items.map((s: { sampleId: string }) => s.sampleId)).toEqual([failedId]);
    // The lead lab may open it and record the re-test.
    await t.http.get(`/api/v1/samples/${failedId}`).set(lead).expect(200);
  });

  it('the summary table as XLSX: counts, per analyte, per sample; one lab or the whole task; others refused', async () => {
    const res = await t.http.get(`/api/v1/tasks/${taskId}/summary.xlsx`).query({ lab: LEDONG_LAB.orgId }).set(ledong).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as never);
    expect(book.worksheets.map((s) => s.name)).toEqual(['汇总', '检测项', '样品']);
    const counts = book.getWorksheet('汇总')!.getRow(6).values as unknown[];
    expect(counts.slice(1)).toEqual([2, 2, 1, 1, 0, 0.5]);
    const samples = book.getWorksheet('样品')!;
    expect(samples.rowCount).toBe(3);
    const byId = new Map([2, 3].map((r) => [String(samples.getRow(r).getCell(1).value), samples.getRow(r)]));
    expect(byId.get(failedId)!.getCell(7).value).toBe('不合格');
    expect(byId.get(failedId)!.getCell(10).value).toBe('复检中');
    expect(byId.get(passedId)!.getCell(7).value).toBe('合格');
    const analytes = book.getWorksheet('检测项')!;
    expect(analytes.rowCount).toBeGreaterThan(1);

    // The lead lab's whole-task table; the publishing province may download it too; another province may not.
    await t.http.get(`/api/v1/tasks/${taskId}/summary.xlsx`).set(lead).buffer(true).parse(binary).expect(200);
    await t.http.get(`/api/v1/tasks/${taskId}/summary.xlsx`).set(asProvince()).buffer(true).parse(binary).expect(200);
    await t.http.get(`/api/v1/tasks/${taskId}/summary.xlsx`).set(asProvince('37', 'org-sd-agri')).expect(403);
    await t.http.get(`/api/v1/tasks/${taskId}/summary.xlsx`).set(asLab('lab-other', '46')).expect(404);
    await t.http.get('/api/v1/tasks/no-such-task/summary.xlsx').set(lead).expect(404);
  });
});

function binary(res: { on(event: string, listener: (chunk?: Buffer) => void): unknown }, done: (err: Error | null, body: unknown) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c) => chunks.push(c!));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}
