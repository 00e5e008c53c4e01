import { ADMIN_PASSWORD, type DemoServer } from './demo-server';

/**
 * Every page of the web app, each with the account whose work it is (issue 15: "signed in as the role that
 * uses it"), on the demo. Shared by the accessibility spec, the phone-layout spec and the load-time benchmark,
 * so a page added to the app is added here once and is then checked everywhere.
 *
 * Ids the demo does not name (an entity, a sample, a case, a task) are looked up over the HTTP API, as a
 * user's browser would find them; an incident and an origin record, which the demo does not create, are
 * created through the API once (`prepareRolePages`), like the users of those pages would.
 */
export interface RolePage {
  /** A short name for reports and screenshots. */
  name: string;
  /** Path from the server's origin: `/t/{code}` or `/#/…`. */
  href: string;
  /** The app's `data-page` of the page (its ready mark is `suyuan:ready:{mark}`). */
  mark: string;
  /** Who signs in to use it (undefined: anyone, not signed in). */
  who?: string;
  /** The role of that account, for the report. */
  role: string;
}

export interface Credentials {
  username: string;
  password: string;
}

export function credentialsOf(server: DemoServer, username: string): Credentials {
  return { username, password: username === 'admin' ? ADMIN_PASSWORD : server.summary.password };
}

/** A bearer token for `username` (the API's own login). */
export async function apiToken(server: DemoServer, username: string): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(credentialsOf(server, username)),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

async function api<T>(server: DemoServer, token: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${body === undefined ? 'GET' : 'POST'} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

type Items<T> = { items: T[] };

/**
 * The list of pages, after making sure the demo has what the detail pages show. Idempotent enough for one
 * server: it reuses an open incident and an origin record when there is one.
 */
export async function prepareRolePages(server: DemoServer): Promise<RolePage[]> {
  const { summary } = server;
  const producer = summary.accounts.find((a) => a.role === 'producer')!.username;
  const [admin, hainan, baoyou] = await Promise.all([apiToken(server, 'admin'), apiToken(server, 'demo-hainan'), apiToken(server, 'demo-baoyou')]);

  const lot = await api<{ holder: { entityId: string } }>(server, admin, `/api/v1/lots/${summary.showcaseTraceCode}`);
  const samples = await api<Items<{ sampleId: string; status: string; labOrgId: string }>>(server, admin, '/api/v1/samples?size=100');
  const labSample = samples.items.find((s) => s.labOrgId === 'org-demo-lab' && s.status === 'taken') ?? samples.items.find((s) => s.labOrgId === 'org-demo-lab')!;

  // 应急事件: the demo raises warnings but opens no incident; the province opens one from a warning (启动应急).
  let incidents = await api<Items<{ incidentId?: string; _id: string }>>(server, admin, '/api/v1/incidents');
  if (!incidents.items.length) {
    const warnings = await api<Items<{ warningId: string; state: string }>>(server, hainan, '/api/v1/risk-warnings?size=50');
    const open = warnings.items.find((w) => w.state === 'raised' || w.state === 'acknowledged') ?? warnings.items[0]!;
    await api(server, hainan, `/api/v1/risk-warnings/${encodeURIComponent(open.warningId)}/incident`, { responsible: { userId: 'demo-hainan', name: '海南省农业农村厅' } });
    incidents = await api(server, admin, '/api/v1/incidents');
  }
  const incidentId = incidents.items[0]!.incidentId ?? incidents.items[0]!._id;

  // 产地溯源信息: the 抱由镇 collector records one 豇豆 cooperative, so the record page has something to show.
  let records = await api<Items<{ recordId?: string; _id: string }>>(server, baoyou, '/api/v1/origin/records');
  if (!records.items.length) {
    await api(server, baoyou, '/api/v1/origin/records', {
      channel: 'form',
      fields: {
        producerName: '抱由豇豆专业合作社',
        producerType: 'cooperative',
        industry: 'planting',
        product: '豇豆',
        certification: 'green',
        address: { villageCode: '469027100200' },
        point: { lat: '18.7421536', lon: '109.1753412' },
        contact: { name: '王芳', mobile: '13800138000' },
        scale: { amount: '2.5', unit: '亩' },
        marketing: { from: '2026-05', to: '2026-09' },
        productionMethods: ['open-field'],
        traceMethods: ['compliance-certificate'],
        gridWorker: { name: '李强', mobile: '13912345678' },
        collector: { name: '赵敏', mobile: '15012345678' },
      },
    });
    records = await api(server, baoyou, '/api/v1/origin/records');
  }
  const recordId = records.items[0]!.recordId ?? records.items[0]!._id;

  const real = summary.showcaseTraceCode;
  const forged = real.slice(0, 24) + (real.endsWith('0') ? '1' : '0');
  const q = encodeURIComponent('豇豆');
  const p = (name: string, href: string, mark: string, who?: string): RolePage => ({
    name,
    href,
    mark,
    who,
    role: who === undefined ? 'anyone' : who === 'admin' ? 'ministry-admin' : (summary.accounts.find((a) => a.username === who)?.role ?? '?'),
  });
  return [
    // Anyone: the label's page, the lookup, signing in, applying for registration.
    p('consumer', `/t/${real}`, 'consumer'),
    p('consumer failed test', `/t/${summary.quality.failedTraceCode}`, 'consumer'),
    p('consumer forged code', `/t/${forged}`, 'consumer'),
    p('home', '/', 'home'),
    p('login', '/#/login', 'login'),
    p('registration', '/#/producer/register', 'register'),
    // Producers.
    p('producer lots', '/#/producer', 'producer', producer),
    p('producer new lot', '/#/producer?tab=create', 'producer', producer),
    p('producer ship', '/#/producer?tab=ship', 'producer', producer),
    p('producer inbox', '/#/producer?tab=inbox', 'producer', producer),
    p('producer market entry', '/#/producer?tab=market', 'producer', producer),
    p('producer recall', '/#/producer?tab=recall', 'producer', producer),
    // Supervision.
    p('supervisor map', '/#/supervisor', 'map', 'admin'),
    p('search', `/#/supervisor/search?q=${q}`, 'search', 'admin'),
    p('warnings', '/#/supervisor/warnings', 'warnings', 'demo-hainan'),
    p('registration reviews', '/#/supervisor/reviews', 'reviews', 'demo-hainan'),
    p('inspections', '/#/supervisor/inspections', 'inspections', 'demo-ledong'),
    p('monitoring tasks', '/#/supervisor/tasks', 'tasks', 'demo-hainan'),
    p('faults', '/#/supervisor/faults', 'faults', 'demo-hainan'),
    p('complaints', '/#/supervisor/complaints', 'complaints', 'demo-hainan'),
    p('entity', `/#/entities/${encodeURIComponent(lot.holder.entityId)}`, 'entity', 'admin'),
    p('lot', `/#/lots/${real}`, 'lot', 'admin'),
    p('incidents', '/#/incidents?status=all', 'incidents', 'demo-hainan'),
    p('incident', `/#/incidents/${encodeURIComponent(incidentId)}`, 'incident', 'demo-hainan'),
    p('statistics', '/#/statistics', 'statistics', 'admin'),
    // Origin data (township collector, county review).
    p('origin table', '/#/origin', 'origin', 'demo-baoyou'),
    p('origin map', '/#/origin/map', 'origin-map', 'demo-baoyou'),
    p('origin import', '/#/origin/import', 'origin-import', 'demo-baoyou'),
    p('origin new record', '/#/origin/new', 'origin-new', 'demo-baoyou'),
    p('origin record', `/#/origin/records/${encodeURIComponent(recordId)}`, 'origin-record', 'demo-baoyou'),
    p('origin review', '/#/origin/review', 'origin-review', 'demo-ledong'),
    // Auditor.
    p('audit', `/#/audit?stream=lot-${summary.originTraceCode}`, 'audit', 'demo-auditor'),
    // Account administration.
    p('accounts', '/#/admin', 'accounts', 'demo-hainan'),
    p('organisation', '/#/admin/org', 'org', 'demo-hainan'),
    // Lab.
    p('lab', '/#/lab', 'lab', 'demo-lab'),
    p('lab task', `/#/lab/tasks/${encodeURIComponent(summary.quality.taskId)}`, 'lab', 'demo-lab'),
    p('lab sample', `/#/lab/samples/${encodeURIComponent(labSample.sampleId)}`, 'lab', 'demo-lab'),
    // Enforcement.
    p('cases', '/#/cases', 'cases', 'demo-enforcement'),
    p('case', `/#/cases/${encodeURIComponent(summary.quality.caseId!)}`, 'case', 'demo-enforcement'),
    p('new case', '/#/cases/new', 'case-new', 'demo-enforcement'),
  ];
}
