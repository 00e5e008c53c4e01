import { z } from 'zod';
import * as path from 'node:path';

/** Environment variables of DESIGN.md, validated once at start; a bad value stops the process with its name. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default('./data'),
  PUBLIC_URL: z.string().url().optional(),
  EVENT_STORE: z.enum(['sqlite', 'kurrentdb']).default('sqlite'),
  READ_STORE: z.enum(['sqlite', 'mongodb']).default('sqlite'),
  SEARCH: z.enum(['sqlite', 'elasticsearch']).default('sqlite'),
  QUEUE: z.enum(['local', 'bullmq']).default('local'),
  KURRENTDB_URL: z.string().optional(),
  MONGODB_URL: z.string().optional(),
  MONGODB_DB: z.string().default('suyuan'),
  ELASTICSEARCH_URL: z.string().optional(),
  /** Prefix of every index/alias name, so several installations (or test runs) can share a cluster. */
  ELASTICSEARCH_INDEX_PREFIX: z.string().regex(/^[a-z0-9_-]*$/).default('suyuan-'),
  /** Redis key prefix of the BullMQ queue. */
  QUEUE_PREFIX: z.string().min(1).default('suyuan'),
  REDIS_URL: z.string().optional(),
  DEMO_DATA: z.enum(['on', 'off']).default('on'),
  /** Secret of the trace-code check segment (HMAC). Generated into DATA_DIR on first start when absent. */
  TRACE_CODE_SECRET: z.string().min(16).optional(),
  /** JSON file {holidays:[], makeupWorkdays:[]} overriding the bundled PRC calendar. */
  HOLIDAY_CALENDAR_FILE: z.string().optional(),
  /**
   * Where the projections fold (decision 0022): `worker` (default) in a worker thread with its own connections,
   * off the request thread; `inline` on the API thread, as before; `process` in a separate projection worker
   * process (`npm run projections`, one per deployment) that the API processes follow through the read store.
   */
  PROJECTIONS: z.enum(['worker', 'inline', 'process']).default('worker'),
  /** Wait for projections after a command so the caller reads its own write (ms; 0 = don't wait). */
  READ_YOUR_WRITES_MS: z.coerce.number().int().min(0).default(3000),
  /** How often a signed Merkle checkpoint seals new events (ms; 0 = only on demand / export). */
  CHECKPOINT_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  /** How often the batch route's and imports' upload counts are recorded as `UploadsCounted` (ms; 0 = never, for tests that need an idle ledger). */
  UPLOAD_COUNT_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  /**
   * `tokens` (default): Bearer tokens from POST /api/v1/auth/login. `dev-headers`: trust X-Role/X-Org-Id/
   * X-User-Id/X-Region as given — for local development and the feature test suites only; logged loudly.
   */
  AUTH: z.enum(['tokens', 'dev-headers']).default('tokens'),
  AUTH_TOKEN_TTL_S: z.coerce.number().int().min(60).max(86_400).default(3600),
  /** Password of the bootstrap ministry admin `admin`; generated and printed once when absent. */
  ADMIN_PASSWORD: z.string().min(10).optional(),
  RATE_LIMIT_PUBLIC_PER_MIN: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_LOGIN_PER_MIN: z.coerce.number().int().min(1).default(10),
  /** Requests per minute of one signed-in account, all authenticated routes together (429 beyond). */
  RATE_LIMIT_ACCOUNT_PER_MIN: z.coerce.number().int().min(1).default(600),
  /** Most commands one POST /api/v1/batch may carry (a larger batch is refused with 413). */
  BATCH_MAX_COMMANDS: z.coerce.number().int().min(1).max(100_000).default(1000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Comma-separated URLs that receive warnings, cases, failed results and faults as JSON POSTs (none by default). */
  WEBHOOK_URLS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((u) => u.trim()).filter(Boolean))
    .pipe(z.array(z.string().url())),
  /** Signs each delivery: X-Suyuan-Signature: sha256=HMAC(secret, body). */
  WEBHOOK_SECRET: z.string().min(16).optional(),
  /** Tries per delivery (retried by the job queue with exponential back-off from WEBHOOK_BACKOFF_MS). */
  WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(1).default(5000),
  /** Directory of the scheduled backups of the embedded stack (none scheduled when unset; `npm run backup` takes one by hand). */
  BACKUP_DIR: z.string().optional(),
  /** How often the scheduled backup runs (ms; 0 = never). Each run is an increment, or full when the chain is long enough. */
  BACKUP_INTERVAL_MS: z.coerce.number().int().min(0).default(3_600_000),
  /** Increments between two full backups (0 = every backup is full). */
  BACKUP_INCREMENTS_PER_FULL: z.coerce.number().int().min(0).default(23),
  /** Full backups kept, each with its increments; older ones are deleted after a scheduled or manual backup. */
  BACKUP_KEEP_FULL: z.coerce.number().int().min(1).default(7),
  /** Where attachments (photos, video, reports, proofs) are kept: `files` under DATA_DIR/blobs, or an S3-compatible bucket. */
  BLOB_STORE: z.enum(['files', 's3']).default('files'),
  /** S3-compatible endpoint (versitygw, Ceph, AWS…); unset = AWS S3 for S3_REGION. */
  S3_ENDPOINT: z.string().url().optional(),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name (3–63 lower-case letters, digits, dots, hyphens)').optional(),
  S3_ACCESS_KEY: z.string().min(1).optional(),
  S3_SECRET_KEY: z.string().min(1).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  /** Largest photo, PDF report or proof document one upload may carry (bytes; 413 beyond). */
  ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1).default(20 * 1024 * 1024),
  /** Largest video (video/mp4) one upload may carry (bytes; 413 beyond). */
  ATTACHMENT_VIDEO_MAX_BYTES: z.coerce.number().int().min(1).default(200 * 1024 * 1024),
  /** Bearer token that GET /metrics requires (Prometheus `authorization`); /metrics answers 404 when unset. */
  METRICS_TOKEN: z.string().min(16).optional(),
});

export type AppConfig = z.infer<typeof EnvSchema> & { publicUrl: string; dataDir: string };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${lines}`);
  }
  const c = parsed.data;
  const need = (flag: boolean, name: keyof typeof c) => {
    if (flag && !c[name]) throw new Error(`Invalid configuration:\n  ${name}: required by the chosen adapter`);
  };
  need(c.EVENT_STORE === 'kurrentdb', 'KURRENTDB_URL');
  need(c.READ_STORE === 'mongodb', 'MONGODB_URL');
  need(c.SEARCH === 'elasticsearch', 'ELASTICSEARCH_URL');
  need(c.QUEUE === 'bullmq', 'REDIS_URL');
  need(c.BLOB_STORE === 's3', 'S3_BUCKET');
  if (c.BLOB_STORE === 's3' && !c.S3_ACCESS_KEY !== !c.S3_SECRET_KEY)
    throw new Error('Invalid configuration:\n  S3_ACCESS_KEY, S3_SECRET_KEY: set both or neither (neither = the SDK\'s default credentials)');
  const publicUrl = (c.PUBLIC_URL ?? `http://${c.HOST === '0.0.0.0' ? 'localhost' : c.HOST}:${c.PORT}`).replace(/\/$/, '');
  return { ...c, publicUrl, dataDir: path.resolve(c.DATA_DIR) };
}
