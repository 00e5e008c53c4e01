import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * The success answers of the OpenAPI document, in one table instead of decorators on 80 handlers. Every
 * 2xx gets a media type and a schema: the paged lists their envelope, the PDFs and the consumer page their
 * media type, a few answers the fields a client relies on, everything else "a JSON object". The schemas
 * are deliberately open (extra fields allowed): they promise what is there, not that nothing else is.
 * A fuzzer (scripts/fuzz) checks every answer against them, so a wrong row here fails CI.
 */
type Schema = Record<string, unknown>;

const object = (required: string[] = [], properties: Record<string, Schema> = {}): Schema => ({
  type: 'object',
  ...(required.length ? { required } : {}),
  properties: { ...Object.fromEntries(required.map((k) => [k, {}])), ...properties },
});
const count = { type: 'integer', minimum: 0 };
const paged = object(['total', 'page', 'size', 'items'], { total: count, page: count, size: count, items: { type: 'array', items: { type: 'object' } } });

const PAGED_LISTS = [
  '/api/v1/accounts',
  '/api/v1/entities',
  '/api/v1/lots',
  '/api/v1/transfers',
  '/api/v1/audit/log',
  '/api/v1/tasks',
  '/api/v1/samples',
  '/api/v1/risk-warnings',
  '/api/v1/cases',
  '/api/v1/inspections',
  '/api/v1/faults',
];

/** `GET /path` (or `POST /path`) → schema of its 2xx JSON answer, where more than "an object" is promised. */
const JSON_ANSWERS: Record<string, Schema> = {
  'post /api/v1/auth/login': object(['token'], { token: { type: 'string' } }),
  'get /api/v1/auth/me': object(['userId', 'role'], { userId: { type: 'string' }, role: { type: 'string' } }),
  'get /api/v1/notifications': object(['items', 'page', 'size'], { items: { type: 'array' }, page: count, size: count }),
  'get /api/v1/search': object(['hits', 'total', 'page', 'size'], { hits: { type: 'array' }, total: count, page: count, size: count }),
  'get /api/v1/regions': object(['items'], { items: { type: 'array' } }),
  'get /api/v1/config': object(['authMode', 'publicUrl'], { authMode: { enum: ['tokens', 'dev-headers'] }, publicUrl: { type: 'string' } }),
  'get /api/v1/audit/verify': object(['ok', 'eventsChecked'], { ok: { type: 'boolean' }, eventsChecked: count }),
  'get /api/v1/audit/checkpoints': object(['checkpoints', 'publicKeyPem'], { checkpoints: { type: 'array' }, publicKeyPem: { type: 'string' } }),
  'get /api/v1/audit/export': object(['format', 'events', 'checkpoints'], { events: { type: 'array' }, checkpoints: { type: 'array' } }),
  'get /api/v1/admin/projections': { type: 'array', items: { type: 'object' } },
  'post /api/v1/admin/projections/rebuild': { type: 'array', items: { type: 'object' } },
  'get /api/v1/risk-rules': object(['rules'], { rules: { type: 'array' } }),
  'get /health/live': object(['status']),
  'get /healthz': object(['status']),
  'get /health/ready': object(['status']),
  ...Object.fromEntries(PAGED_LISTS.map((p) => [`get ${p}`, paged])),
};

/** Answers that are not JSON. */
const MEDIA: { match: RegExp; type: string; schema: Schema }[] = [
  { match: /\.pdf$/, type: 'application/pdf', schema: { type: 'string', format: 'binary' } },
  { match: /^\/t\//, type: 'text/html', schema: { type: 'string' } },
];

/** Answers whose media type a query parameter chooses (`?format=`): every type it may answer, with its schema. */
const BINARY = { type: 'string', format: 'binary' };
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CHOSEN_MEDIA: Record<string, Record<string, { schema: Schema }>> = {
  'get /api/v1/origin/template.xlsx': { [XLSX_TYPE]: { schema: BINARY } },
  'get /api/v1/origin/template.csv': { 'text/csv': { schema: { type: 'string' } } },
  'get /api/v1/origin/imports/{id}/errors.xlsx': { [XLSX_TYPE]: { schema: BINARY } },
  'get /api/v1/origin/records/export': { [XLSX_TYPE]: { schema: BINARY }, 'text/csv': { schema: { type: 'string' } } },
  'get /api/v1/statistics/export': { [XLSX_TYPE]: { schema: BINARY } },
  'get /api/v1/statistics/uploads/export': { [XLSX_TYPE]: { schema: BINARY } },
  'get /api/v1/statistics/reports/{reportId}/{format}': { [XLSX_TYPE]: { schema: BINARY }, 'application/pdf': { schema: BINARY } },
  'get /api/v1/tasks/{id}/summary.xlsx': { [XLSX_TYPE]: { schema: BINARY } },
  'get /api/v1/data-quality/export': { [XLSX_TYPE]: { schema: BINARY } },
  'get /api/v1/data-quality/report': { [XLSX_TYPE]: { schema: BINARY }, 'application/pdf': { schema: BINARY } },
  // An attachment is served with the type it was stored with (the upload's allowed types).
  'get /api/v1/attachments/{sha256}': Object.fromEntries(['image/jpeg', 'image/png', 'image/webp', 'video/mp4', 'application/pdf'].map((type) => [type, { schema: BINARY }])),
  'get /api/v1/incidents/{id}/report': {
    'application/pdf': { schema: BINARY },
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: BINARY },
    'application/ld+json': { schema: object(['@context', 'type', 'schemaVersion', 'epcisBody'], { type: { const: 'EPCISDocument' } }) },
  },
};

/** Statuses an operation answers besides its declared success and the 4XX every operation has. */
const EXTRA_STATUSES: Record<string, Record<string, { description: string }>> = {
  'get /health/ready': { '503': { description: 'Not ready yet (start-up, projections catching up) or the event store is down' } },
  'post /api/v1/attachments': { '415': { description: 'No Content-Type, a type outside the allowed ones, or content whose first bytes do not match it' } },
};

export function addResponseSchemas(doc: OpenAPIObject): void {
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item as Record<string, any>)) {
      if (!op || typeof op !== 'object' || !('responses' in op)) continue;
      const key = `${method} ${path}`;
      for (const [status, response] of Object.entries(op.responses as Record<string, any>)) {
        if (!/^2\d\d$/.test(status)) continue;
        const media = MEDIA.find((m) => m.match.test(path));
        const json = JSON_ANSWERS[key] ?? { type: 'object' };
        response.description ||= 'Success';
        // A media type the handler declared (@ApiProduces) stays; it only gets its schema.
        const declared = Object.keys(response.content ?? {}).filter((type) => type !== 'application/json');
        const chosen = CHOSEN_MEDIA[key];
        response.content = chosen
          ? structuredClone(chosen)
          : declared.length
          ? Object.fromEntries(declared.map((type) => [type, { schema: response.content[type]?.schema ?? (/[+/]json$/.test(type) ? json : { type: 'string' }) }]))
          : media
            ? { [media.type]: { schema: media.schema } }
            : { 'application/json': { schema: json } };
      }
      Object.assign(op.responses, EXTRA_STATUSES[key] ?? {});
    }
  }
}
