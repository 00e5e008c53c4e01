import { CATEGORY_LABELS_ZH, cstDay, type Category } from '../../domain/data-quality';
import { WEBHOOK_JOB, type WebhookOptions, type WebhookPayload } from '../notifications/webhooks';
import type { Clock } from '../ports/clock';
import type { JobQueue } from '../ports/job-queue';
import type { Notification, Notifier } from '../ports/notifier';
import type { ReadModels } from '../ports/read-models';
import { FINDINGS } from './queries';

/**
 * 问题反馈 (seed 004 §六(三)): once a day the open problems are summarised by type for each responsible person
 * (the collector of an origin record, the contact of a registration) and sent to them through the Notifier port
 * (SMS to a phone, e-mail to an address), and a summary per county goes to the configured webhooks. Each
 * delivery is its own job, keyed by day and recipient, so a re-run of the digest the same day sends nothing twice
 * and a failed delivery is retried by the queue.
 */
export const DIGEST_JOB = 'data-quality-digest';
export const FEEDBACK_JOB = 'data-quality-feedback';
export const DIGEST_EVERY_MS = 24 * 3_600_000;
/** Lines of detail per message (the rest is counted): an SMS stays readable. */
const DETAIL_LINES = 5;

interface OpenFinding {
  _id: string;
  ruleName: string;
  category: Category;
  severity: string;
  regionCode: string;
  subject: { kind: string; id: string; name: string | null };
  message: string;
  responsible: { name: string | null; phone: string | null; email?: string | null } | null;
}

/** The recipient of a finding: an e-mail address if known, else the phone; none → not sent. */
function recipientOf(f: OpenFinding): { channel: Notification['channel']; to: string; name: string | null } | null {
  const r = f.responsible;
  if (r?.email) return { channel: 'email', to: r.email, name: r.name };
  if (r?.phone) return { channel: 'sms', to: r.phone.replace(/[\s-]/g, ''), name: r.name };
  return null;
}

export function digestText(name: string | null, day: string, findings: OpenFinding[]): string {
  const byCategory = new Map<string, number>();
  for (const f of findings) byCategory.set(f.category, (byCategory.get(f.category) ?? 0) + 1);
  const counts = [...byCategory.entries()].map(([c, n]) => `${CATEGORY_LABELS_ZH[c as Category] ?? c} ${n} 条`).join('，');
  const lines = findings.slice(0, DETAIL_LINES).map((f) => `· ${f.subject.name ?? f.subject.id}：${f.message}`);
  const more = findings.length > DETAIL_LINES ? [`……另有 ${findings.length - DETAIL_LINES} 条，请登录平台查看`] : [];
  return [`${name ?? ''}您好：截至${day}，您负责的追溯数据有 ${findings.length} 条问题待处理（${counts}）。`, ...lines, ...more, '请核实并更正。'].join('\n');
}

/**
 * Enqueues today's deliveries: one message per responsible person, one webhook payload per county and URL.
 * Returns what it enqueued (for the log and tests).
 */
export async function enqueueDigest(d: { models: ReadModels; jobs: JobQueue; clock: Clock; webhooks: WebhookOptions }): Promise<{ messages: number; webhooks: number }> {
  const now = d.clock.now();
  const day = cstDay(now.toISOString());
  const open = (await d.models.find(FINDINGS, { status: 'open', firstSeenAt: { $lte: now.toISOString() } }, { sort: { firstSeenAt: 1 } })) as unknown as OpenFinding[];
  const byRecipient = new Map<string, { recipient: NonNullable<ReturnType<typeof recipientOf>>; findings: OpenFinding[] }>();
  const byCounty = new Map<string, OpenFinding[]>();
  for (const f of open) {
    const recipient = recipientOf(f);
    if (recipient) {
      const key = `${recipient.channel}:${recipient.to}`;
      const entry = byRecipient.get(key) ?? { recipient, findings: [] };
      entry.findings.push(f);
      byRecipient.set(key, entry);
    }
    byCounty.set(f.regionCode, [...(byCounty.get(f.regionCode) ?? []), f]);
  }
  for (const [key, { recipient, findings }] of byRecipient) {
    const notification: Notification = {
      channel: recipient.channel,
      to: recipient.to,
      subject: `追溯数据问题反馈（${day}）`,
      text: digestText(recipient.name, day, findings),
      ref: { kind: 'data-quality-digest', id: `${day}:${key}` },
    };
    await d.jobs.add(FEEDBACK_JOB, notification as unknown as Record<string, unknown>, { jobId: `dq-feedback:${day}:${key}`, attempts: 5, backoffMs: 60_000 });
  }
  let webhooks = 0;
  for (const [regionCode, findings] of byCounty) {
    const byCategory: Record<string, number> = {};
    const bySeverity: Record<string, number> = {};
    for (const f of findings) {
      byCategory[f.category] = (byCategory[f.category] ?? 0) + 1;
      bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
    }
    const payload: WebhookPayload = {
      id: `dq-digest:${day}:${regionCode}`,
      type: 'DataQualityDigest',
      streamId: 'data-quality',
      position: 0,
      occurredAt: now.toISOString(),
      recordedAt: now.toISOString(),
      data: { regionCode, day, open: findings.length, byCategory, bySeverity },
    };
    for (const [i, url] of d.webhooks.urls.entries()) {
      await d.jobs.add(WEBHOOK_JOB, { url, payload }, { jobId: `webhook:${payload.id}:${i}`, attempts: d.webhooks.attempts, backoffMs: d.webhooks.backoffMs });
      webhooks++;
    }
  }
  return { messages: byRecipient.size, webhooks };
}

/**
 * Registers the digest and delivery jobs (before the queue starts); `schedule` makes the digest daily (after).
 * The webhook delivery job itself is the quality runtime's (WEBHOOK_JOB).
 */
export function registerDataQualityFeedback(d: { models: ReadModels; jobs: JobQueue; clock: Clock; notifier: Notifier; webhooks: WebhookOptions; log: { info(msg: string, extra?: object): void } }) {
  d.jobs.register(DIGEST_JOB, async () => {
    const sent = await enqueueDigest(d);
    d.log.info('data-quality digest enqueued', sent);
  });
  d.jobs.register<Notification>(FEEDBACK_JOB, async (job) => d.notifier.send(job.data));
  return { schedule: () => d.jobs.repeat(DIGEST_JOB, {}, DIGEST_EVERY_MS, 'data-quality-digest') };
}
