import { decider as faultDecider, faultStreamId } from '../../domain/faults';
import { warnings, warningStreamId } from '../../domain/risk';
import { applicableRule, repeatedFailuresTriggered } from '../../domain/risk/rules';
import type { ResultRecorded } from '../../domain/sampling';
import { SYSTEM_ACTOR } from '../../domain/shared/actor';
import type { HolidayCalendar } from '../../domain/shared/working-days';
import type { Clock } from '../ports/clock';
import type { RecordedEvent } from '../ports/event-store';
import type { JobQueue } from '../ports/job-queue';
import type { ReadModels } from '../ports/read-models';
import type { CommandMeta, Ledger } from '../ledger/ledger';
import { scheduleIntegrityCheck, scheduleNextDeadline } from '../faults/fault-jobs';
import { dispatchWebhooks, WEBHOOK_EVENT_TYPES, type WebhookOptions } from '../notifications/webhooks';
import type { Reaction } from '../reactions/reactor';
import { rectificationDeadlines } from '../enforcement/rectification-deadlines';
import { scheduleRegistrationCheck, scheduleTransferCheck } from '../risk/deadline-rules';
import { loadRiskRules } from '../risk/risk-rules';
import { closeWarning, raiseWarning } from '../risk/warnings';
import { holdWarningId, inheritedHoldId, registrationOverdueWarningId, repeatedFailuresWarningId, transferUnconfirmedWarningId } from '../risk/warning-ids';

export interface QualityReactionDeps {
  ledger: Ledger;
  clock: Clock;
  models: ReadModels;
  jobs: JobQueue;
  calendar: HolidayCalendar;
  webhooks: WebhookOptions;
}

const OPEN = { $in: ['raised', 'acknowledged'] };

/** Commands a reaction issues act as the platform, caused by (and correlated with) the event. */
function metaFor(event: RecordedEvent): Omit<CommandMeta, 'commandId'> {
  return { actor: SYSTEM_ACTOR, correlationId: event.correlationId, causationId: event.eventId };
}

async function raisedData(ledger: Ledger, warningId: string): Promise<warnings.WarningRaised['data'] | null> {
  const stream = await ledger.load(warningStreamId(warningId), warnings.decider);
  if (!warnings.isOpen(stream.state) || !stream.state.hold) return null;
  return stream.events[0]!.data as unknown as warnings.WarningRaised['data'];
}

/**
 * Hold warnings follow the goods (forward trace): a hold warning on a lot is inherited by every lot made from it, whether
 * that lot existed when the hold was raised (WarningRaised → its children) or appears later (a confirmed
 * transfer from a held lot → the new child lot). Either order of the two events is covered, and the
 * deterministic warning ids make the overlap harmless.
 */
export function holdPropagation(d: QualityReactionDeps): Reaction {
  async function inherit(root: warnings.WarningRaised['data'], parentCode: string, childCode: string, event: RecordedEvent): Promise<void> {
    const child = await d.models.get('lots', childCode);
    if (!child) return;
    const holder = child.holder as { entityId: string; name: string; regionCode: string };
    const rootId = root.cause.sourceWarningId ?? root.warningId;
    const source = root.cause.sourceTraceCode ?? parentCode;
    await raiseWarning(
      d.ledger,
      d.clock,
      {
        warningId: root.cause.sampleId ? holdWarningId(root.cause.sampleId, childCode) : inheritedHoldId(rootId, childCode),
        rule: root.rule,
        subject: { kind: 'lot', regionCode: holder.regionCode, traceCode: childCode, entityId: holder.entityId, entityName: holder.name, product: (child.product as string) ?? null, transferId: null, sampleId: root.subject.sampleId },
        reason: root.cause.kind === 'propagation' ? root.reason : `上游批次 ${source}：${root.reason}`,
        cause: { kind: 'propagation', ref: root.cause.ref, sampleId: root.cause.sampleId, sourceTraceCode: source, sourceWarningId: rootId },
        hold: true,
        evidence: root.evidence,
      },
      metaFor(event),
    );
  }

  return {
    name: 'hold-propagation',
    handles: ['WarningRaised', 'TransferConfirmed'],
    async react(event) {
      if (event.type === 'WarningRaised') {
        const w = event.data as unknown as warnings.WarningRaised['data'];
        if (!w.hold || !w.subject.traceCode) return;
        const root = await raisedData(d.ledger, w.warningId);
        if (!root) return; // closed in the meantime
        const edges = await d.models.find('lot_edges', { from: w.subject.traceCode }, { limit: 100_000 });
        for (const e of edges) if (e.to) await inherit(root, w.subject.traceCode, e.to as string, event);
        return;
      }
      const t = event.data as { fromTraceCode: string; childTraceCode: string };
      const parent = await d.models.get('lots', t.fromTraceCode);
      // The child is already born held (settle.ts); this only tells its holder, through the warning that
      // announced each of the parent's holds (an incident's hold has no warning: nothing to inherit).
      for (const hold of (parent?.holds as { warningId: string | null }[] | undefined) ?? []) {
        if (!hold.warningId) continue;
        const root = await raisedData(d.ledger, hold.warningId);
        if (root) await inherit(root, t.fromTraceCode, t.childTraceCode, event);
      }
    },
  };
}

/** 同一主体多次不合格: counted over the samples whose standing verdict is a failure (a passed re-test does not count). */
export function repeatedFailures(d: QualityReactionDeps): Reaction {
  return {
    name: 'repeated-failures',
    handles: ['ResultRecorded'],
    async react(event) {
      const r = event.data as unknown as ResultRecorded['data'];
      const entityId = r.subject.entityId;
      if (r.verdict !== 'fail' || !entityId) return;
      const at = new Date(r.recordedAt);
      const failures = await d.models.find('samples', { 'subject.entityId': entityId, verdict: 'fail' }, { sort: { failedAt: 1 }, limit: 10_000 });
      const times = failures.map((f) => f.failedAt as string);
      const rule = applicableRule(await loadRiskRules(d.ledger), 'repeatedFailures', (x) => repeatedFailuresTriggered(x, times, at));
      if (!rule) return;
      if ((await d.models.count('risk_warnings', { indicator: 'repeatedFailures', 'subject.entityId': entityId, state: OPEN })) > 0) return;
      const inWindow = failures.filter((f) => Date.parse(f.failedAt as string) > at.getTime() - rule.params.windowDays! * 86_400_000);
      await raiseWarning(
        d.ledger,
        d.clock,
        {
          warningId: repeatedFailuresWarningId(entityId, r.sampleId),
          rule,
          subject: { kind: 'entity', regionCode: r.subject.regionCode, traceCode: null, entityId, entityName: r.subject.entityName, product: r.product, transferId: null, sampleId: null },
          reason: `${rule.params.windowDays}天内${inWindow.length}次检测不合格`,
          cause: { kind: 'repeatedFailures', ref: inWindow.map((f) => f._id).join(','), sampleId: null, sourceTraceCode: null, sourceWarningId: null },
          hold: false,
          evidence: { failures: inWindow.map((f) => ({ sampleId: f._id, failedAt: f.failedAt, product: f.product, failed: f.failed, traceCode: f.traceCode })) },
        },
        metaFor(event),
      );
    },
  };
}

/** Schedules the time-based rules, and closes their warnings when the condition clears (reviewed, settled). */
export function deadlineRules(d: QualityReactionDeps): Reaction {
  return {
    name: 'deadline-rules',
    handles: ['RegistrationApplied', 'RegistrationApproved', 'RegistrationRejected', 'TransferInitiated', 'TransferConfirmed', 'TransferRejected'],
    async react(event) {
      const data = event.data as { entityId?: string; appliedAt?: string; transferId?: string; initiatedAt?: string };
      switch (event.type) {
        case 'RegistrationApplied':
          return scheduleRegistrationCheck(d.ledger, d.jobs, d.clock, d.calendar, data.entityId!, data.appliedAt!);
        case 'RegistrationApproved':
        case 'RegistrationRejected':
          await closeWarning(d.ledger, d.clock, registrationOverdueWarningId(data.entityId!), '已完成审核', 'condition-cleared', metaFor(event));
          return;
        case 'TransferInitiated':
          return scheduleTransferCheck(d.ledger, d.jobs, d.clock, data.transferId!, data.initiatedAt!);
        default:
          await closeWarning(d.ledger, d.clock, transferUnconfirmedWarningId(data.transferId!), '接收方已确认或拒收', 'condition-cleared', metaFor(event));
      }
    },
  };
}

/** Fault deadlines as delayed jobs; the post-recovery integrity check after a resolution. */
export function faultDeadlines(d: QualityReactionDeps): Reaction {
  return {
    name: 'fault-deadlines',
    handles: ['FaultReported', 'FaultEscalated', 'FaultOverdue', 'FaultResolved'],
    async react(event) {
      const faultId = (event.data as { faultId: string }).faultId;
      if (event.type === 'FaultResolved') {
        await scheduleIntegrityCheck(d.jobs, faultId, (event.data as { resolvedAt: string }).resolvedAt);
        return;
      }
      const fault = await d.ledger.load(faultStreamId(faultId), faultDecider);
      await scheduleNextDeadline(d.jobs, d.clock, fault.state);
    },
  };
}

export function webhookDeliveries(d: QualityReactionDeps): Reaction {
  return { name: 'webhooks', handles: WEBHOOK_EVENT_TYPES, react: (event) => dispatchWebhooks(d.jobs, d.webhooks, event) };
}

export function qualityReactions(d: QualityReactionDeps): Reaction[] {
  return [holdPropagation(d), repeatedFailures(d), deadlineRules(d), faultDeadlines(d), rectificationDeadlines(d), webhookDeliveries(d)];
}
