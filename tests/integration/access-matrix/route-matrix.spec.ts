import { ensureBootstrapAdmin } from '../../../application/accounts/bootstrap-admin';
import type { Role } from '../../../domain/shared/actor';
import { argon2Hasher } from '../../../infrastructure/system/argon2-hasher';
import { entityBody } from '../support/fixtures';
import { COWPEA_MODEL, cstDate, FAILING_RESULT } from '../support/quality-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The route × principal matrix (issue 11), generated from the live route table: every route the started
 * app serves (read from the Express router at run time) must have a row below, or the test fails — a new
 * route is added here with the answer each kind of principal should get.
 *
 * ROW FORMAT — `'METHOD /path/as/registered': { send, ok?, in?, any? }`
 *   send(f)  the request, built from the fixture `f`: { path, body? } (a body makes it a POST/PATCH).
 *   ok       principal kinds that get a 2xx answer;
 *   in       kinds the access checks let through, whose answer is not 2xx (a deliberately incomplete
 *            body → 400, an unknown id → 404, a state conflict → 409): any status but 401/403, below 500;
 *   any      kinds whose answer is not asserted (it depends on state the matrix does not pin), below 500;
 *   every other kind must be refused: 401, 403, or 404 (a producer is not told others' records exist).
 *   `ALL` and the groups below are shorthands. Write routes are sent incomplete bodies, so that nothing
 *   the matrix sends changes the fixture: they check the permission layer; the scope of writes is in
 *   findings.spec.ts and tests/unit/application/access.
 *
 * Every response body is also scanned: a Shandong (37) account — the producer and the province admin —
 * must see no Hainan fixture name, e-ID, phone, trace code or quantity it did not send itself. The public
 * consumer pages (`/trace/{code}`, `/t/{code}`) are for anyone holding the label and are left out of the
 * scan; their masking is asserted in findings.spec.ts.
 */
const KINDS = [
  'anonymous',
  'producerHere',
  'producerElsewhere',
  'township',
  'county',
  'province',
  'provinceElsewhere',
  'ministry',
  'staff',
  'lab',
  'enforcement',
  'auditor',
] as const;
type Kind = (typeof KINDS)[number];

const ALL: Kind[] = [...KINDS];
const SIGNED_IN: Kind[] = KINDS.filter((k) => k !== 'anonymous');
const PRODUCERS: Kind[] = ['producerHere', 'producerElsewhere'];
/** Supervision-side kinds with the supervisor's reads (entity, lot, transfer, chain, search, warnings, audit). */
const SUPERVISION: Kind[] = ['township', 'county', 'province', 'provinceElsewhere', 'ministry', 'staff', 'enforcement', 'auditor'];
/** Those of them whose region covers the Hainan fixture's county (469027); a township's does not (county-only records). */
const SUPERVISION_HERE: Kind[] = ['county', 'province', 'ministry', 'staff', 'enforcement', 'auditor'];
const REVIEWERS: Kind[] = ['county', 'province', 'provinceElsewhere', 'ministry'];
/** task.manage: county administrations and above (seed 002, issue 15), and labs. */
const TASK_MANAGERS: Kind[] = ['county', 'province', 'provinceElsewhere', 'ministry', 'lab'];
const CASE_MANAGERS: Kind[] = ['county', 'province', 'provinceElsewhere', 'ministry', 'enforcement'];
const INSPECTION_RECORDERS: Kind[] = ['township', 'county', 'province', 'provinceElsewhere', 'ministry'];
const LOT_READERS: Kind[] = [...PRODUCERS, ...SUPERVISION, 'lab'];
/** origin.collect (decision 0016): producers for their own entity, township collectors and the admins above them. */
const ORIGIN_COLLECTORS: Kind[] = [...PRODUCERS, 'township', 'county', 'province', 'provinceElsewhere', 'ministry'];

interface Fixture {
  entityId: string;
  eid: string;
  lot: string;
  transferId: string;
  taskId: string;
  sampleId: string;
  caseId: string;
  warningId: string;
  inspectionId: string;
  eventId: string;
  /** An incident opened from the failed sample, its response started (holds, a recall notice to the Hainan producer). */
  incidentId: string;
  /** An origin record (产地溯源信息) in a village of the township's own township, of the Hainan producer's entity, approved. */
  originId: string;
}
interface Row {
  send: (f: Fixture) => { path: string; body?: object };
  ok?: Kind[];
  in?: Kind[];
  any?: Kind[];
}

const get = (path: string) => () => ({ path });
const post = (path: string | ((f: Fixture) => string), body: object = {}) => (f: Fixture) => ({ path: typeof path === 'string' ? path : path(f), body });

const ROWS: Record<string, Row> = {
  // Public
  'GET /api/docs/openapi.json': { send: get('/api/docs/openapi.json'), ok: ALL },
  'GET /health/live': { send: get('/health/live'), ok: ALL },
  'GET /healthz': { send: get('/healthz'), ok: ALL },
  'GET /health/ready': { send: get('/health/ready'), ok: ALL }, // ready: the fixture marks start-up done
  'GET /api/v1/config': { send: get('/api/v1/config'), ok: ALL },
  'GET /api/v1/regions': { send: get('/api/v1/regions'), ok: ALL },
  'GET /t/:traceCode': { send: (f) => ({ path: `/t/${f.lot}` }), ok: ALL },
  'GET /api/v1/trace/:traceCode': { send: (f) => ({ path: `/api/v1/trace/${f.lot}` }), ok: ALL },
  // The proof bundle is public like the label (redacted for whoever may not read a lot in full; issue 18).
  'GET /api/v1/trace/:traceCode/proof': { send: (f) => ({ path: `/api/v1/trace/${f.lot}/proof` }), ok: ALL },
  'POST /api/v1/entities': { send: post('/api/v1/entities'), in: ALL },
  'POST /api/v1/auth/login': { send: post('/api/v1/auth/login'), in: ALL },
  'POST /api/v1/batch': { send: post('/api/v1/batch'), in: SIGNED_IN },

  // Signed in
  // Who the caller is: the anonymous identity too (it names no one).
  'GET /api/v1/auth/me': { send: get('/api/v1/auth/me'), ok: ALL },
  'POST /api/v1/auth/password': { send: post('/api/v1/auth/password'), in: ALL },
  'GET /api/v1/notifications': { send: get('/api/v1/notifications'), ok: [...PRODUCERS, ...SUPERVISION, 'lab'] },

  // Accounts
  'GET /api/v1/accounts': { send: get('/api/v1/accounts'), ok: ['township', 'county', 'province', 'provinceElsewhere', 'ministry'] },
  'POST /api/v1/accounts': { send: post('/api/v1/accounts'), in: REVIEWERS },
  'POST /api/v1/accounts/:accountId/disable': { send: post('/api/v1/accounts/no-such-account/disable'), in: REVIEWERS },
  'POST /api/v1/accounts/:accountId/enable': { send: post('/api/v1/accounts/no-such-account/enable'), in: REVIEWERS },
  'POST /api/v1/accounts/:accountId/unlock': { send: post('/api/v1/accounts/no-such-account/unlock'), in: REVIEWERS },
  'POST /api/v1/accounts/:accountId/reset-password': { send: post('/api/v1/accounts/no-such-account/reset-password'), in: REVIEWERS },

  // Registration
  'GET /api/v1/entities': { send: get('/api/v1/entities'), ok: [...PRODUCERS, ...SUPERVISION] },
  'GET /api/v1/entities/:id': { send: (f) => ({ path: `/api/v1/entities/${f.entityId}` }), ok: ['producerHere', ...SUPERVISION_HERE] },
  'PATCH /api/v1/entities/:id': { send: (f) => ({ path: `/api/v1/entities/${f.entityId}`, body: { products: ['豇豆'] } }), in: ['producerHere'] },
  'POST /api/v1/entities/:id/approve': { send: post((f) => `/api/v1/entities/${f.entityId}/approve`), in: ['county', 'province', 'ministry'] },
  'POST /api/v1/entities/:id/reject': { send: post((f) => `/api/v1/entities/${f.entityId}/reject`), in: REVIEWERS },
  'POST /api/v1/entities/:id/bases': { send: post((f) => `/api/v1/entities/${f.entityId}/bases`), in: PRODUCERS },

  // Lots, transfers, trace
  'GET /api/v1/lots': { send: get('/api/v1/lots'), ok: LOT_READERS },
  'GET /api/v1/lots/:traceCode': { send: (f) => ({ path: `/api/v1/lots/${f.lot}` }), ok: ['producerHere', ...SUPERVISION_HERE, 'lab'] },
  // Without a CJK font installed the label answers 503 (FONT_HELP): `in`, past the access checks either way.
  'GET /api/v1/lots/:traceCode/label.pdf': { send: (f) => ({ path: `/api/v1/lots/${f.lot}/label.pdf` }), any: ['producerHere', ...SUPERVISION_HERE, 'lab'] },
  'GET /api/v1/lots/:traceCode/certificates/:certificateNo.pdf': { send: (f) => ({ path: `/api/v1/lots/${f.lot}/certificates/NO-SUCH.pdf` }), in: ['producerHere', ...SUPERVISION_HERE, 'lab'] },
  'POST /api/v1/lots': { send: post('/api/v1/lots'), in: PRODUCERS },
  'POST /api/v1/market-entries': { send: post('/api/v1/market-entries'), in: PRODUCERS },
  'GET /api/v1/transfers': { send: get('/api/v1/transfers'), ok: [...PRODUCERS, ...SUPERVISION] },
  'GET /api/v1/transfers/:id': { send: (f) => ({ path: `/api/v1/transfers/${f.transferId}` }), ok: ['producerHere', ...SUPERVISION_HERE] },
  'POST /api/v1/transfers': { send: post('/api/v1/transfers'), in: PRODUCERS },
  // Only the receiver (a third Hainan producer, not a principal here) confirms: the sender is refused NOT_RECEIVER.
  'POST /api/v1/transfers/:id/confirm': { send: post((f) => `/api/v1/transfers/${f.transferId}/confirm`) },
  'POST /api/v1/transfers/:id/reject': { send: post((f) => `/api/v1/transfers/${f.transferId}/reject`), in: PRODUCERS },
  'GET /api/v1/trace/:traceCode/chain': { send: (f) => ({ path: `/api/v1/trace/${f.lot}/chain` }), ok: [...SUPERVISION, 'lab'] },
  // The chain as EPCIS 2.0, under the chain's rule (lots out of reach are left out).
  'GET /api/v1/trace/:traceCode/epcis': { send: (f) => ({ path: `/api/v1/trace/${f.lot}/epcis` }), ok: [...SUPERVISION, 'lab'] },
  'GET /api/v1/search': { send: get('/api/v1/search?q=豇豆'), ok: SUPERVISION },
  // Statistics: every supervision-side account gets its own scope's figures (no region asked); producers and labs have none.
  'GET /api/v1/statistics/overview': { send: get('/api/v1/statistics/overview'), ok: SUPERVISION },
  'GET /api/v1/statistics/breakdown': { send: get('/api/v1/statistics/breakdown?by=region'), ok: SUPERVISION },
  'GET /api/v1/statistics/flows': { send: get('/api/v1/statistics/flows'), ok: SUPERVISION },
  'GET /api/v1/statistics/export': { send: get('/api/v1/statistics/export?view=breakdown'), ok: SUPERVISION },
  'GET /api/v1/statistics/evaluation': { send: get('/api/v1/statistics/evaluation'), ok: SUPERVISION },
  'GET /api/v1/statistics/evaluation/enterprises': { send: get('/api/v1/statistics/evaluation/enterprises'), ok: SUPERVISION },
  'GET /api/v1/statistics/evaluation/trend': { send: get('/api/v1/statistics/evaluation/trend'), ok: SUPERVISION },
  'GET /api/v1/statistics/evaluation/criteria': { send: get('/api/v1/statistics/evaluation/criteria'), ok: SUPERVISION },
  // An out-of-range cut-off: the ministry passes the permission check and gets the 400, nothing is set.
  'PUT /api/v1/statistics/evaluation/criteria/:region': { send: () => ({ path: '/api/v1/statistics/evaluation/criteria/46', body: { grades: { excellent: 500 } } }), in: ['ministry'] },
  // 数据传输监控 and 统计报表 (issue 14): supervision reads its region's; generating is sent an incomplete body (400
  // past the permission), a download a report that does not exist (404 past the permission).
  'GET /api/v1/statistics/uploads': { send: get('/api/v1/statistics/uploads?by=client'), ok: SUPERVISION },
  'GET /api/v1/statistics/uploads/export': { send: get('/api/v1/statistics/uploads/export?by=day'), ok: SUPERVISION },
  'GET /api/v1/statistics/reports': { send: get('/api/v1/statistics/reports'), ok: SUPERVISION },
  'POST /api/v1/statistics/reports/generate': { send: post('/api/v1/statistics/reports/generate'), in: SUPERVISION },
  'GET /api/v1/statistics/reports/:reportId/:format': { send: get('/api/v1/statistics/reports/monthly-2020-01-46/pdf'), in: SUPERVISION },
  // 数据质量 (issue 13 part 6): supervision reads its region's problem data; the rules are changed by the ministry.
  'GET /api/v1/data-quality/findings': { send: get('/api/v1/data-quality/findings'), ok: SUPERVISION },
  'GET /api/v1/data-quality/statistics': { send: get('/api/v1/data-quality/statistics?by=region'), ok: SUPERVISION },
  'GET /api/v1/data-quality/scores': { send: get('/api/v1/data-quality/scores'), ok: SUPERVISION },
  'GET /api/v1/data-quality/export': { send: get('/api/v1/data-quality/export?view=statistics'), ok: SUPERVISION },
  'GET /api/v1/data-quality/report': { send: get('/api/v1/data-quality/report?format=xlsx'), ok: SUPERVISION },
  'GET /api/v1/data-quality/rules': { send: get('/api/v1/data-quality/rules'), ok: SUPERVISION },
  'PATCH /api/v1/data-quality/rules/:id': { send: () => ({ path: '/api/v1/data-quality/rules/no-such-rule', body: {} }), in: ['ministry'] },

  // 产地溯源信息 (issue 13, decision 0016). Reads follow the record's village (a producer: its own entity's records
  // only). Writes: an empty body (400 past the permission), a no-such record (404), or bodies that fail in the
  // decider after the policy let the caller act on the approved fixture record (approve → 409, return → 400).
  'GET /api/v1/origin/products': { send: get('/api/v1/origin/products'), ok: [...PRODUCERS, ...SUPERVISION] },
  'POST /api/v1/origin/records': { send: post('/api/v1/origin/records'), in: ORIGIN_COLLECTORS },
  'GET /api/v1/origin/records': { send: get('/api/v1/origin/records'), ok: [...PRODUCERS, ...SUPERVISION] },
  'GET /api/v1/origin/points': { send: get('/api/v1/origin/points'), ok: [...PRODUCERS, ...SUPERVISION] },
  'GET /api/v1/origin/completeness': { send: get('/api/v1/origin/completeness'), ok: [...PRODUCERS, ...SUPERVISION] },
  'GET /api/v1/origin/records/:id': { send: (f) => ({ path: `/api/v1/origin/records/${f.originId}` }), ok: ['producerHere', 'township', ...SUPERVISION_HERE] },
  'PUT /api/v1/origin/records/:id': { send: (f) => ({ path: `/api/v1/origin/records/${f.originId}`, body: { fields: {} } }), in: ['producerHere', 'township', 'county', 'province', 'ministry'] },
  'POST /api/v1/origin/records/:id/refresh': { send: post('/api/v1/origin/records/no-such-record/refresh'), in: ORIGIN_COLLECTORS },
  'POST /api/v1/origin/records/:id/approve': { send: post((f) => `/api/v1/origin/records/${f.originId}/approve`), in: ['county', 'province', 'ministry'] },
  'POST /api/v1/origin/records/:id/return': { send: post((f) => `/api/v1/origin/records/${f.originId}/return`, { reason: '', deadline: '' }), in: ['county', 'province', 'ministry'] },
  // 附件2: read along one's own line (the township reads its county's list), set by the region's admins or above.
  'GET /api/v1/origin/contacts/:region': { send: get('/api/v1/origin/contacts/469027'), ok: ['township', ...SUPERVISION_HERE] },
  'PUT /api/v1/origin/contacts/:region': { send: () => ({ path: '/api/v1/origin/contacts/469027', body: { contacts: [{}] } }), in: ['county', 'province', 'ministry'] },
  // 目标任务: read along one's own line like 附件2, set by reviewers whose scope covers the region.
  'GET /api/v1/origin/targets/:region': { send: get('/api/v1/origin/targets/469027'), ok: ['township', ...SUPERVISION_HERE] },
  'PUT /api/v1/origin/targets/:region': { send: () => ({ path: '/api/v1/origin/targets/469027', body: { targets: {} } }), ok: ['county', 'province', 'ministry'] },
  // 绩效考核 of collectors (overdue returns): reviewers, narrowed to their region.
  'GET /api/v1/origin/collectors': { send: get('/api/v1/origin/collectors'), ok: REVIEWERS },
  // 采集范围: every origin reader sees a province's thresholds; its own administration (or the ministry) sets them.
  'GET /api/v1/origin/scope-rules/:province': { send: get('/api/v1/origin/scope-rules/46'), ok: [...PRODUCERS, ...SUPERVISION] },
  'PUT /api/v1/origin/scope-rules/:province': { send: () => ({ path: '/api/v1/origin/scope-rules/46', body: { thresholds: {} } }), ok: ['province', 'ministry'] },
  // 表格方式批量采集: the template for collectors; an upload without a format is a 400 past the permission; the
  // status, results and error workbook of a no-such import are 404s past it; the export is the list's narrowed set.
  'GET /api/v1/origin/template.xlsx': { send: get('/api/v1/origin/template.xlsx'), ok: ORIGIN_COLLECTORS },
  'GET /api/v1/origin/template.csv': { send: get('/api/v1/origin/template.csv'), ok: ORIGIN_COLLECTORS },
  'POST /api/v1/origin/imports': { send: post('/api/v1/origin/imports'), in: ORIGIN_COLLECTORS },
  'GET /api/v1/origin/imports/:id': { send: get('/api/v1/origin/imports/no-such-import'), in: [...PRODUCERS, ...SUPERVISION] },
  'GET /api/v1/origin/imports/:id/results': { send: get('/api/v1/origin/imports/no-such-import/results'), in: [...PRODUCERS, ...SUPERVISION] },
  'GET /api/v1/origin/imports/:id/errors.xlsx': { send: get('/api/v1/origin/imports/no-such-import/errors.xlsx'), in: [...PRODUCERS, ...SUPERVISION] },
  'GET /api/v1/origin/records/export': { send: get('/api/v1/origin/records/export'), ok: [...PRODUCERS, ...SUPERVISION] },

  // Audit
  'GET /api/v1/audit/streams/:streamId': { send: (f) => ({ path: `/api/v1/audit/streams/entity-${f.entityId}` }), ok: SUPERVISION_HERE },
  'GET /api/v1/audit/verify': { send: get('/api/v1/audit/verify'), ok: SUPERVISION },
  'GET /api/v1/audit/log': { send: get('/api/v1/audit/log'), ok: SUPERVISION },
  'GET /api/v1/audit/checkpoints': { send: get('/api/v1/audit/checkpoints'), ok: SUPERVISION },
  'POST /api/v1/audit/checkpoints': { send: post('/api/v1/audit/checkpoints'), ok: ['ministry'] },
  'GET /api/v1/audit/proofs/:eventId': { send: (f) => ({ path: `/api/v1/audit/proofs/${f.eventId}` }), ok: SUPERVISION },
  'GET /api/v1/audit/consistency': { send: get('/api/v1/audit/consistency?from=1&to=1'), ok: SUPERVISION },
  // The one Merkle log (issue 18, decision 0018): tree heads, witness cosignatures (a 400 for the empty body).
  'GET /api/v1/audit/tree-heads': { send: get('/api/v1/audit/tree-heads'), ok: SUPERVISION },
  'GET /api/v1/audit/tree-heads/:size': { send: get('/api/v1/audit/tree-heads/1'), in: SUPERVISION },
  'POST /api/v1/audit/tree-heads/:size/cosign': { send: post('/api/v1/audit/tree-heads/1/cosign'), in: ['ministry'] },
  // The whole ledger: national auditors and the ministry only (the Hainan auditor has the permission, not the scope).
  'GET /api/v1/audit/export': { send: get('/api/v1/audit/export'), ok: ['ministry'] },
  'GET /api/v1/admin/projections': { send: get('/api/v1/admin/projections'), ok: ['ministry'] },
  'POST /api/v1/admin/projections/rebuild': { send: post('/api/v1/admin/projections/rebuild', { projection: 'no-such-projection' }), in: ['ministry'] },

  // Monitoring, sampling, results
  'GET /api/v1/tasks': { send: get('/api/v1/tasks'), ok: TASK_MANAGERS },
  'GET /api/v1/tasks/:id': { send: (f) => ({ path: `/api/v1/tasks/${f.taskId}` }), ok: ['county', 'province', 'ministry', 'lab'] },
  'GET /api/v1/tasks/:id/summary': { send: (f) => ({ path: `/api/v1/tasks/${f.taskId}/summary` }), ok: ['county', 'province', 'ministry', 'lab'] },
  'GET /api/v1/tasks/:id/summary.xlsx': { send: (f) => ({ path: `/api/v1/tasks/${f.taskId}/summary.xlsx` }), ok: ['county', 'province', 'ministry', 'lab'] },
  'POST /api/v1/tasks': { send: post('/api/v1/tasks'), in: TASK_MANAGERS },
  'POST /api/v1/tasks/:id/model': { send: post((f) => `/api/v1/tasks/${f.taskId}/model`), in: TASK_MANAGERS },
  'POST /api/v1/tasks/:id/distribute': { send: post((f) => `/api/v1/tasks/${f.taskId}/distribute`), in: TASK_MANAGERS },
  'POST /api/v1/tasks/:id/spot-check-selection': { send: post((f) => `/api/v1/tasks/${f.taskId}/spot-check-selection`), in: TASK_MANAGERS },
  // A valid body (the note is optional): only the task's labs may report; the lab here is the lead lab.
  'POST /api/v1/tasks/:id/lab-reports': { send: post((f) => `/api/v1/tasks/${f.taskId}/lab-reports`), any: ['lab'] },
  'POST /api/v1/tasks/:id/report': { send: post((f) => `/api/v1/tasks/${f.taskId}/report`), in: TASK_MANAGERS },
  'GET /api/v1/samples': { send: get('/api/v1/samples'), ok: LOT_READERS },
  'GET /api/v1/samples/:id': { send: (f) => ({ path: `/api/v1/samples/${f.sampleId}` }), ok: ['producerHere', ...SUPERVISION_HERE, 'lab'] },
  'POST /api/v1/samples': { send: post('/api/v1/samples'), in: ['lab'] },
  'POST /api/v1/samples/:id/results': { send: post((f) => `/api/v1/samples/${f.sampleId}/results`), in: ['lab'] },
  'POST /api/v1/samples/:id/retest': { send: post((f) => `/api/v1/samples/${f.sampleId}/retest`), in: TASK_MANAGERS },

  // Risk warnings and rules
  'GET /api/v1/risk-warnings': { send: get('/api/v1/risk-warnings'), ok: SUPERVISION },
  'GET /api/v1/risk-warnings/:id': { send: (f) => ({ path: `/api/v1/risk-warnings/${f.warningId}` }), ok: SUPERVISION_HERE },
  'POST /api/v1/risk-warnings/:id/acknowledge': { send: post((f) => `/api/v1/risk-warnings/${f.warningId}/acknowledge`), in: ['county', 'province', 'ministry'] },
  'POST /api/v1/risk-warnings/:id/close': { send: post((f) => `/api/v1/risk-warnings/${f.warningId}/close`), in: REVIEWERS },
  'GET /api/v1/risk-rules': { send: get('/api/v1/risk-rules'), ok: SUPERVISION },
  'POST /api/v1/risk-rules': { send: post('/api/v1/risk-rules'), in: ['ministry'] },
  'PATCH /api/v1/risk-rules/:id': { send: () => ({ path: '/api/v1/risk-rules/no-such-rule', body: {} }), in: ['ministry'] },

  // 12316 complaints: submitted by anyone, the answer read with its receipt (404 without it); the county and above manage.
  'POST /api/v1/complaints': { send: post('/api/v1/complaints'), in: ALL },
  // 凭证核验 (public): a malformed number is a 400 for everyone.
  'GET /api/v1/certificates/:certificateNo': { send: get('/api/v1/certificates/12345?traceCode=X'), in: ALL },
  'GET /api/v1/complaints/:id/answer': { send: get('/api/v1/complaints/no-such-complaint/answer?receipt=X'), in: ALL },
  'GET /api/v1/complaints': { send: get('/api/v1/complaints'), ok: REVIEWERS },
  'GET /api/v1/complaints/:id': { send: get('/api/v1/complaints/no-such-complaint'), in: REVIEWERS },
  'POST /api/v1/complaints/:id/answer': { send: post('/api/v1/complaints/no-such-complaint/answer'), in: REVIEWERS },

  // Enforcement and inspections
  'POST /api/v1/cases': { send: post('/api/v1/cases'), in: CASE_MANAGERS },
  'GET /api/v1/cases': { send: get('/api/v1/cases'), ok: CASE_MANAGERS },
  'GET /api/v1/cases/:id': { send: (f) => ({ path: `/api/v1/cases/${f.caseId}` }), ok: ['county', 'province', 'ministry', 'enforcement'] },
  'POST /api/v1/cases/:id/actions': { send: post((f) => `/api/v1/cases/${f.caseId}/actions`), in: CASE_MANAGERS },
  'POST /api/v1/cases/:id/close': { send: post((f) => `/api/v1/cases/${f.caseId}/close`), in: CASE_MANAGERS },
  'GET /api/v1/inspections': { send: get('/api/v1/inspections'), ok: INSPECTION_RECORDERS },
  // The township is named as the task's inspector: it sees the task although the task lies in the county.
  'GET /api/v1/inspections/:id': { send: (f) => ({ path: `/api/v1/inspections/${f.inspectionId}` }), ok: ['township', 'county', 'province', 'ministry'] },
  'POST /api/v1/inspections': { send: post('/api/v1/inspections'), in: INSPECTION_RECORDERS },
  'POST /api/v1/inspections/:id/records': { send: post((f) => `/api/v1/inspections/${f.inspectionId}/records`), in: INSPECTION_RECORDERS },
  // The empty body is a valid referral (the note is optional): the handler asks the policy before looking for the
  // record, so an agency outside the task's region is refused (403) and only those it lets act get the 400.
  'POST /api/v1/inspections/:id/records/:recordId/referral': { send: post((f) => `/api/v1/inspections/${f.inspectionId}/records/no-such-record/referral`), in: ['township', 'county', 'province', 'ministry'] },
  'POST /api/v1/inspections/:id/complete': { send: post((f) => `/api/v1/inspections/${f.inspectionId}/complete`), in: INSPECTION_RECORDERS },

  // Incidents (应急事件, decision 0013). The fixture's incident happened in 乐东 and its chain stays there: the
  // Hainan supervision that covers 469027 reads it; a township (county-only record) and Shandong do not.
  'GET /api/v1/incidents': { send: get('/api/v1/incidents'), ok: SUPERVISION },
  'GET /api/v1/incidents/:id': { send: (f) => ({ path: `/api/v1/incidents/${f.incidentId}` }), ok: SUPERVISION_HERE },
  'GET /api/v1/incidents/:id/chain': { send: (f) => ({ path: `/api/v1/incidents/${f.incidentId}/chain` }), ok: SUPERVISION_HERE },
  'GET /api/v1/incidents/:id/recall': { send: (f) => ({ path: `/api/v1/incidents/${f.incidentId}/recall` }), ok: SUPERVISION_HERE },
  // EPCIS: the format that needs no CJK font installed (the PDF answers 503 without one).
  'GET /api/v1/incidents/:id/report': { send: (f) => ({ path: `/api/v1/incidents/${f.incidentId}/report?format=epcis` }), ok: SUPERVISION_HERE },
  'POST /api/v1/incidents': { send: post('/api/v1/incidents'), in: REVIEWERS },
  'POST /api/v1/samples/:id/incident': { send: post((f) => `/api/v1/samples/${f.sampleId}/incident`), in: REVIEWERS },
  'POST /api/v1/risk-warnings/:id/incident': { send: post((f) => `/api/v1/risk-warnings/${f.warningId}/incident`), in: REVIEWERS },
  'POST /api/v1/incidents/:id/grade': { send: post((f) => `/api/v1/incidents/${f.incidentId}/grade`), in: REVIEWERS },
  'POST /api/v1/incidents/:id/review': { send: post((f) => `/api/v1/incidents/${f.incidentId}/review`), in: REVIEWERS },
  'POST /api/v1/incidents/:id/log': { send: post((f) => `/api/v1/incidents/${f.incidentId}/log`), in: REVIEWERS },
  'POST /api/v1/incidents/:id/notices': { send: post((f) => `/api/v1/incidents/${f.incidentId}/notices`), in: REVIEWERS },
  'POST /api/v1/incidents/:id/close': { send: post((f) => `/api/v1/incidents/${f.incidentId}/close`), in: REVIEWERS },

  // Recall: a holder's own notices. The Hainan producer holds one; the Shandong producer is told none exists.
  'GET /api/v1/recalls': { send: get('/api/v1/recalls'), ok: PRODUCERS },
  'GET /api/v1/recalls/:incidentId/:holderEntityId': { send: (f) => ({ path: `/api/v1/recalls/${f.incidentId}/${f.entityId}` }), ok: ['producerHere'] },
  // The empty body is a valid acknowledgement (the note is optional): only the holder itself gets past the handler.
  'POST /api/v1/recalls/:incidentId/:holderEntityId/acknowledge': { send: post((f) => `/api/v1/recalls/${f.incidentId}/${f.entityId}/acknowledge`), ok: ['producerHere'] },
  'POST /api/v1/recalls/:incidentId/:holderEntityId/report': { send: post((f) => `/api/v1/recalls/${f.incidentId}/${f.entityId}/report`), in: PRODUCERS },

  // Prometheus: its own bearer token (METRICS_TOKEN); unset here, so 404 to everyone — no account token opens it.
  'GET /metrics': { send: get('/metrics') },

  // Platform faults
  'GET /api/v1/faults': { send: get('/api/v1/faults'), ok: REVIEWERS },
  'GET /api/v1/faults/:id': { send: get('/api/v1/faults/no-such-fault'), in: REVIEWERS },
  'POST /api/v1/faults': { send: post('/api/v1/faults'), in: REVIEWERS },
  'POST /api/v1/faults/:id/progress': { send: post('/api/v1/faults/no-such-fault/progress'), in: REVIEWERS },
  'POST /api/v1/faults/:id/reclassify': { send: post('/api/v1/faults/no-such-fault/reclassify'), in: REVIEWERS },
  'POST /api/v1/faults/:id/resolve': { send: post('/api/v1/faults/no-such-fault/resolve'), in: ['ministry'] },

  // Attachments (decision 0019): every account but the public's may upload (the JSON body is refused 415: not
  // an allowed file type) and ask for a file; which files it gets is the policy's, per record attached to
  // (tests/integration/attachments.spec.ts) — an unknown hash is 404 to all of them.
  // attachment.upload: those who record what a file belongs to; not a plain supervisor or an auditor, who only read.
  'POST /api/v1/attachments': { send: post('/api/v1/attachments'), in: SIGNED_IN.filter((k) => k !== 'staff' && k !== 'auditor') },
  // The files of one record (a registration's proofs), to whoever may read the record; a lab's read depends on its region.
  'GET /api/v1/attachments/records/:kind/:id': { send: (f) => ({ path: `/api/v1/attachments/records/entity/${f.entityId}` }), ok: ['producerHere', ...SUPERVISION_HERE], any: ['lab'] },
  'GET /api/v1/attachments/:sha256': { send: get(`/api/v1/attachments/${'0'.repeat(64)}`), in: SIGNED_IN },
};

/** Routes @nestjs/swagger serves for its UI (static assets and the YAML twin of openapi.json): public documentation, no data. */
const SWAGGER_ASSETS = /^GET \/api\/docs(|\/|-yaml|\/index\.html|\/LICENSE|\/swagger-ui-init\.js|\/docs\/swagger-ui-init\.js|\/swagger-ui.*|\/favicon.*)$/;

/** The live route table: `METHOD /path` of every route the Express app of the started server serves. */
function liveRoutes(t: TestApp): string[] {
  const app = t.app.getHttpAdapter().getInstance() as { router?: { stack: unknown[] }; _router?: { stack: unknown[] } };
  const stack = (app.router ?? app._router)!.stack as { route?: { path: string | string[]; methods: Record<string, boolean> } }[];
  const routes = new Set<string>();
  for (const layer of stack) {
    if (!layer.route) continue;
    for (const path of [layer.route.path].flat()) for (const m of Object.keys(layer.route.methods)) routes.add(`${m.toUpperCase()} ${path}`);
  }
  return [...routes].sort();
}

const PASSWORD = 'Matrix-Pass-2026';

describe('route × principal matrix (tokens)', () => {
  let t: TestApp;
  let f: Fixture;
  const headers = {} as Record<Kind, Record<string, string>>;
  /** What the Shandong principals must never be shown (the Hainan fixture's identifying values). */
  let hainanSecrets: string[];

  beforeAll(async () => {
    t = await startTestApp({ AUTH: 'tokens', RATE_LIMIT_LOGIN_PER_MIN: '1000', RATE_LIMIT_PUBLIC_PER_MIN: '100000', RATE_LIMIT_ACCOUNT_PER_MIN: '100000' });
    await ensureBootstrapAdmin(t.platform, argon2Hasher, PASSWORD);
    const login = async (username: string, password: string) => {
      const res = await t.http.post('/api/v1/auth/login').send({ username, password }).expect(200);
      const first = { Authorization: `Bearer ${res.body.token}` };
      if (!res.body.account.mustChangePassword) return first;
      const changed = await t.http.post('/api/v1/auth/password').set(first).send({ currentPassword: password, newPassword: `${password}-own` }).expect(200);
      return { Authorization: `Bearer ${changed.body.token}` };
    };
    const create = async (by: Record<string, string>, username: string, role: Role, regionCode: string) => {
      await t.http.post('/api/v1/accounts').set(by).send({ username, password: PASSWORD, displayName: username, role, regionCode, orgName: username }).expect(201);
      return login(username, PASSWORD);
    };
    const me = async (h: Record<string, string>) => (await t.http.get('/api/v1/auth/me').set(h).expect(200)).body as { orgId: string; userId?: string; accountId?: string; username: string };

    headers.anonymous = {};
    headers.ministry = await login('admin', PASSWORD);
    headers.province = await create(headers.ministry, 'hn-province', 'province-admin', '46');
    headers.provinceElsewhere = await create(headers.ministry, 'sd-province', 'province-admin', '37');
    const city = await create(headers.province, 'hn-city', 'city-admin', '4690');
    headers.county = await create(city, 'ledong-county', 'county-admin', '469027');
    headers.township = await create(headers.county, 'foluo-township', 'township-admin', '469027100');
    headers.staff = await create(headers.county, 'ledong-supervisor', 'supervisor', '469027');
    headers.enforcement = await create(headers.county, 'ledong-enforcement', 'enforcement', '469027');
    headers.auditor = await create(headers.province, 'hn-auditor', 'auditor', '46');
    headers.lab = await create(headers.province, 'hn-lab', 'lab', '46');
    const lab = await me(headers.lab);

    // The Hainan fixture: a producer with a distinctive name, phone and quantity; a lot shipped in part to
    // a second Hainan producer; a task whose lead lab samples the lot and fails it (a case and warnings).
    const apply = async (over: Record<string, unknown>) => (await t.http.post('/api/v1/entities').send(entityBody(over)).expect(201)).body.entityId as string;
    const approve = async (id: string) => (await t.http.post(`/api/v1/entities/${id}/approve`).set(headers.county).send({}).expect(200)).body;
    const hainanName = '乐东佳禾豇豆专业合作社';
    const hainanPhone = '13907610987';
    const a = await apply({ name: hainanName, contactPhone: hainanPhone });
    const b = await apply({ name: '乐东丰源果蔬合作社' });
    const approvalA = await approve(a);
    const approvalB = await approve(b);
    headers.producerHere = await login(approvalA.account.username, approvalA.account.initialPassword);
    const sd = await apply({ name: '栖霞苹果合作社', regionCode: '370686', address: '山东省栖霞市', bases: [{ name: '栖霞基地', regionCode: '370686', address: '栖霞', lat: 37.3, lon: 120.8, products: ['豇豆'] }] });
    const sdCity = await create(headers.provinceElsewhere, 'yt-city', 'city-admin', '3706');
    const sdCounty = await create(sdCity, 'qixia-county', 'county-admin', '370686');
    const approvalSd = (await t.http.post(`/api/v1/entities/${sd}/approve`).set(sdCounty).send({}).expect(200)).body;
    headers.producerElsewhere = await login(approvalSd.account.username, approvalSd.account.initialPassword);

    const lot = (await t.http.post('/api/v1/lots').set(headers.producerHere).send({ entityId: a, baseId: 'B1', product: '豇豆', quantity: { amount: 7319.5, unit: 'kg' }, productionDate: cstDate(-2) }).expect(201)).body.traceCode as string;
    const transferId = (await t.http.post('/api/v1/transfers').set(headers.producerHere).send({ fromTraceCode: lot, quantity: { amount: 1234.5, unit: 'kg' }, to: { kind: 'registered', eid: approvalB.eid } }).expect(201)).body.transferId as string;

    const taskId = (
      await t.http.post('/api/v1/tasks').set(headers.province).send({ kind: 'special', title: '豇豆专项监测', regionCode: '460000', period: { from: cstDate(-10), to: cstDate(10) }, leadLab: { orgId: lab.orgId, name: '海南检测中心' }, publisherName: '海南省农业农村厅' }).expect(201)
    ).body.taskId as string;
    await t.http.post(`/api/v1/tasks/${taskId}/model`).set(headers.lab).send({ model: COWPEA_MODEL }).expect(200);
    await t.http.post(`/api/v1/tasks/${taskId}/distribute`).set(headers.lab).send({ assignments: [{ orgId: lab.orgId, name: '海南检测中心', regionCode: '469027', quota: 5 }] }).expect(200);
    const sampleId = (
      await t.http.post('/api/v1/samples').set(headers.lab).send({ taskId, traceCode: lot, place: { address: '乐东县佛罗镇', regionCode: '469027' }, sampledAt: new Date(Date.now() - 3_600_000).toISOString(), sampler: { name: '王抽样' } }).expect(201)
    ).body.sampleId as string;
    const result = (await t.http.post(`/api/v1/samples/${sampleId}/results`).set(headers.lab).send({ analytes: FAILING_RESULT, testedAt: new Date(Date.now() - 60_000).toISOString() }).expect(201)).body;
    const townshipUser = await me(headers.township);
    const inspectionId = (
      await t.http.post('/api/v1/inspections').set(headers.county).send({ title: '佛罗镇巡查', regionCode: '469027', inspectors: [{ userId: townshipUser.userId ?? townshipUser.accountId ?? townshipUser.username, name: '佛罗镇' }], dueDate: cstDate(10) }).expect(201)
    ).body.inspectionId as string;
    const countyUser = await me(headers.county);
    const responsible = { userId: countyUser.userId ?? countyUser.accountId ?? countyUser.username, name: '乐东县农业农村局' };
    const incidentId = (await t.http.post(`/api/v1/samples/${sampleId}/incident`).set(headers.county).send({ category: 'product-safety', responsible }).expect(201)).body.incidentId as string;
    await t.http.post(`/api/v1/incidents/${incidentId}/review`).set(headers.county).send({ decision: 'start-response', opinion: '启动应急处置' }).expect(200);
    const originProducer = '抱由镇佳禾豇豆种植基地';
    const originFields = {
      producerName: originProducer, producerType: 'cooperative', industry: 'planting', product: '豇豆', address: { villageCode: '469027100200' },
      point: { lat: '18.7421536', lon: '109.1753412' }, contact: { name: '符佳禾', mobile: hainanPhone }, scale: { amount: '3.5', unit: '亩' },
      marketing: { from: '2026-03', to: '2026-06' }, productionMethods: ['open-field'], traceMethods: ['trace-code'],
      gridWorker: { name: '黎网格', mobile: '13807610001' }, collector: { name: '王采集', mobile: '13807610002' }, entityId: a,
    };
    const originId = (await t.http.post('/api/v1/origin/records').set(headers.township).send({ fields: originFields }).expect(201)).body.recordId as string;
    await t.http.post(`/api/v1/origin/records/${originId}/approve`).set(headers.county).expect(200);
    await t.http.post('/api/v1/audit/checkpoints').set(headers.ministry).expect(200);
    await t.platform.runner.waitFor(await t.platform.adapters.eventStore.headPosition());
    await t.platform.readiness.begin(t.platform.runner, await t.platform.adapters.eventStore.headPosition(), () => new Date());
    const entityLog = await t.http.get('/api/v1/audit/log').set(headers.ministry).query({ stream: `entity-${a}` }).expect(200);
    f = { entityId: a, eid: approvalA.eid, lot, transferId, taskId, sampleId, caseId: result.caseId, warningId: result.warnings[0].warningId, inspectionId, eventId: entityLog.body.items[0]._id, incidentId, originId };
    hainanSecrets = [hainanName, hainanPhone, approvalA.eid, a, lot, '7319.5', '1234.5', approvalB.eid, b, '乐东丰源果蔬合作社', originProducer, originId, '18.7421536'];
  }, 180_000);
  afterAll(async () => t?.close());

  it('every live route has a row, and every row a live route', () => {
    const live = liveRoutes(t).filter((r) => !SWAGGER_ASSETS.test(r));
    expect(live.filter((r) => !(r in ROWS))).toEqual([]);
    expect(Object.keys(ROWS).filter((r) => !live.includes(r))).toEqual([]);
  });

  it('every route answers every principal kind as its row says, and no Shandong account sees Hainan data', async () => {
    const mismatches: string[] = [];
    const leaks: string[] = [];
    /** What each principal has sent so far: a value it sent itself is not a leak when it comes back. */
    const sent: Record<string, string> = {};
    let cells = 0;
    for (const [route, row] of Object.entries(ROWS)) {
      const method = route.split(' ')[0]!.toLowerCase() as 'get' | 'post' | 'patch' | 'put';
      for (const kind of KINDS) {
        const { path, body } = row.send(f);
        const request = t.http[method](path).set(headers[kind]);
        const res = method === 'get' ? await request : await request.send(body ?? {});
        cells++;
        sent[kind] = `${sent[kind] ?? ''} ${decodeURIComponent(path)} ${JSON.stringify(body ?? {})}`;
        const status = res.status;
        const expected = row.ok?.includes(kind) ? 'ok' : row.in?.includes(kind) ? 'in' : row.any?.includes(kind) ? 'any' : 'deny';
        const fits =
          status < 500 &&
          (expected === 'ok' ? status >= 200 && status < 300 : expected === 'in' ? status !== 401 && status !== 403 : expected === 'any' ? true : status === 401 || status === 403 || status === 404);
        if (!fits) mismatches.push(`${route} as ${kind}: expected ${expected}, got ${status} ${JSON.stringify(res.body ?? {}).slice(0, 140)}`);
        const isPublicPage = route === 'GET /api/v1/trace/:traceCode' || route === 'GET /t/:traceCode' || route === 'GET /api/v1/trace/:traceCode/proof';
        if ((kind === 'producerElsewhere' || kind === 'provinceElsewhere') && !isPublicPage) {
          const text = `${res.text ?? ''}${JSON.stringify(res.headers)}`;
          for (const secret of hainanSecrets) if (text.includes(secret) && !sent[kind]!.includes(secret)) leaks.push(`${route} as ${kind}: ${secret}`);
        }
      }
    }
    expect({ mismatches, leaks }).toEqual({ mismatches: [], leaks: [] });
    expect(cells).toBe(Object.keys(ROWS).length * KINDS.length);
  }, 300_000);
});
