import { decider as incidentDecider, incidentStreamId } from '../../domain/incidents';
import type { RecallEscalated, RecallNoticeIssued } from '../../domain/recall';
import { SYSTEM_ACTOR } from '../../domain/shared/actor';
import type { Clock } from '../ports/clock';
import type { RecordedEvent } from '../ports/event-store';
import type { JobQueue } from '../ports/job-queue';
import type { Notification } from '../ports/notifier';
import type { ProjectionProgress, ReadModels } from '../ports/read-models';
import type { Ledger, StreamWrite } from '../ledger/ledger';
import { systemCommandId } from '../ledger/idempotency';
import { runCommand } from '../ledger/run-command';
import { dispatchWebhooks, type WebhookOptions } from '../notifications/webhooks';
import type { Reaction } from '../reactions/reactor';
import { holdWrites } from '../incidents/holds';
import { incidentChain } from '../incidents/incident-chain';
import { recallNoticeWrites } from './notices';
import { scheduleRecallDeadline } from './recall-deadline';

export const NOTIFY_JOB = 'notify-deliver';

export interface RecallReactionDeps {
  ledger: Ledger;
  clock: Clock;
  models: ReadModels;
  progress: ProjectionProgress;
  jobs: JobQueue;
  traceCodeSecret: string;
  webhooks: WebhookOptions;
  publicUrl: string;
}

/** One delivery job per message; the job id (from the event) makes a replayed event send nothing twice. */
async function enqueueNotification(jobs: JobQueue, jobId: string, n: Notification): Promise<void> {
  await jobs.add(NOTIFY_JOB, { ...n }, { jobId, attempts: 5, backoffMs: 2_000 });
}

/**
 * Every notice goes out three ways besides the in-app inbox (a read model): a webhook, an SMS to the
 * holder's registered phone through the Notifier port, and a delayed job for its deadline. An escalation
 * goes out the same ways again.
 */
export function recallDeliveries(d: RecallReactionDeps): Reaction {
  return {
    name: 'recall-deliveries',
    handles: ['RecallNoticeIssued', 'RecallEscalated'],
    async react(event) {
      await dispatchWebhooks(d.jobs, d.webhooks, event);
      if (event.type === 'RecallNoticeIssued') {
        const n = event.data as unknown as RecallNoticeIssued['data'];
        await scheduleRecallDeadline(d.jobs, d.clock, n.incidentId, n.holder.entityId, n.deadline);
        if (n.holder.contact.phone) {
          const codes = n.lots.map((l) => l.traceCode).join('、');
          await enqueueNotification(d.jobs, `notify:${event.eventId}`, {
            channel: 'sms',
            to: n.holder.contact.phone,
            subject: '产品召回通知',
            text: `【追溯平台】${n.holder.name}：您持有的批次 ${codes} 涉及应急事件，已暂停销售，请于 ${n.deadline} 前登录 ${d.publicUrl} 签收召回通知并报告追回、销毁及已售数量。`,
            ref: { kind: 'recall', id: `${n.incidentId}/${n.holder.entityId}` },
          });
        }
        return;
      }
      const e = event.data as unknown as RecallEscalated['data'];
      const notice = await d.models.get('recall_notices', `${e.incidentId}:${e.holderEntityId}`);
      const phone = (notice?.holder as { contact?: { phone?: string | null } } | undefined)?.contact?.phone;
      if (phone) {
        await enqueueNotification(d.jobs, `notify:${event.eventId}`, {
          channel: 'sms',
          to: phone,
          subject: '召回通知逾期未签收',
          text: `【追溯平台】${e.holderName}：召回通知已于 ${e.deadline} 逾期未签收，已上报监管部门，请立即签收并报告数量。`,
          ref: { kind: 'recall', id: `${e.incidentId}/${e.holderEntityId}` },
        });
      }
    },
  };
}

/**
 * The chain grows while the response runs (a hand-over pending when it started is confirmed): the new lot
 * goes on hold, its holder gets a notice, the incident's scope grows and its lead is escalated if the
 * chain now reaches beyond it. The command id comes from the event, so a replay appends nothing.
 */
export function incidentChainGrowth(d: RecallReactionDeps): Reaction {
  return {
    name: 'incident-chain-growth',
    handles: ['TransferConfirmed'],
    async react(event: RecordedEvent) {
      const t = event.data as { fromTraceCode: string; childTraceCode: string };
      const incidents = await d.models.find('incidents', { traceCodes: t.fromTraceCode, status: 'responding' });
      for (const doc of incidents) {
        const incidentId = doc._id;
        await runCommand(
          d.ledger,
          { commandId: systemCommandId(`incident-extend:${incidentId}:${event.eventId}`), actor: SYSTEM_ACTOR, correlationId: event.correlationId, causationId: event.eventId },
          async () => {
            const stream = await d.ledger.load(incidentStreamId(incidentId), incidentDecider);
            if (stream.state.status !== 'responding') return [];
            const ctx = { now: d.clock.now(), actor: SYSTEM_ACTOR };
            const chain = await incidentChain({ models: d.models, progress: d.progress, store: d.ledger.store, traceCodeSecret: d.traceCodeSecret }, stream.state.traceCodes);
            const events = incidentDecider.decide({ type: 'ExtendIncidentChain', data: { chain: chain.scope, cause: `批次 ${t.fromTraceCode} 交接确认，新批次 ${t.childTraceCode}` } }, stream.state, ctx);
            const writes: StreamWrite[] = [{ stream, events }];
            writes.push(...(await holdWrites(d.ledger, incidentId, chain.scope.traceCodes, `应急事件处置中（${incidentId}），暂停销售`, ctx)));
            writes.push(...(await recallNoticeWrites(d.ledger, incidentId, chain.holders, doc.recallDeadline as string, ctx)));
            return writes;
          },
          () => undefined,
        );
      }
    },
  };
}
