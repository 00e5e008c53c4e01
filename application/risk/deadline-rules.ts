import { decider as entityDecider, entityStreamId } from '../../domain/registration';
import { regionOfEid } from '../../domain/registration/eid';
import { applicableRule, registrationReviewDeadline, transferConfirmationDeadline, type AppliedRule } from '../../domain/risk/rules';
import { SYSTEM_ACTOR } from '../../domain/shared/actor';
import { decider as transferDecider, transferStreamId } from '../../domain/transfers';
import type { HolidayCalendar } from '../../domain/shared/working-days';
import type { Clock } from '../ports/clock';
import type { Job, JobQueue } from '../ports/job-queue';
import type { Ledger } from '../ledger/ledger';
import { loadRiskRules } from './risk-rules';
import { raiseWarning } from './warnings';
import { registrationOverdueWarningId, transferUnconfirmedWarningId } from './warning-ids';

/**
 * Time-based rules, evaluated exactly when they can first be true: the process manager schedules a delayed
 * job at the earliest deadline of the enabled rules (a registration's review deadline, a transfer's
 * confirmation deadline); the job re-reads the rules and the aggregate, raises the warning if the
 * condition holds, and waits again if the ministry has since lengthened the period.
 */
export const REGISTRATION_OVERDUE_JOB = 'risk-registration-overdue';
export const TRANSFER_UNCONFIRMED_JOB = 'risk-transfer-unconfirmed';

function earliest(dates: Date[]): Date | null {
  return dates.length ? new Date(Math.min(...dates.map((d) => d.getTime()))) : null;
}

export function registrationDeadline(rules: AppliedRule[], appliedAt: Date, calendar: HolidayCalendar): Date | null {
  return earliest(rules.filter((r) => r.enabled && r.indicator === 'registrationReviewOverdue').map((r) => registrationReviewDeadline(r, appliedAt, calendar)));
}

export function transferDeadline(rules: AppliedRule[], initiatedAt: Date): Date | null {
  return earliest(rules.filter((r) => r.enabled && r.indicator === 'transferUnconfirmed').map((r) => transferConfirmationDeadline(r, initiatedAt)));
}

async function schedule(jobs: JobQueue, clock: Clock, name: string, key: string, at: Date | null, data: Record<string, unknown>, suffix = ''): Promise<void> {
  if (!at) return;
  // One millisecond past the deadline: the rule is "late after", not "late at".
  const delayMs = Math.max(0, at.getTime() + 1 - clock.now().getTime());
  await jobs.add(name, data, { jobId: `${name}:${key}:${at.toISOString()}${suffix}`, delayMs, attempts: 5, backoffMs: 5_000 });
}

export async function scheduleRegistrationCheck(ledger: Ledger, jobs: JobQueue, clock: Clock, calendar: HolidayCalendar, entityId: string, appliedAt: string): Promise<void> {
  await schedule(jobs, clock, REGISTRATION_OVERDUE_JOB, entityId, registrationDeadline(await loadRiskRules(ledger), new Date(appliedAt), calendar), { entityId });
}

export async function scheduleTransferCheck(ledger: Ledger, jobs: JobQueue, clock: Clock, transferId: string, initiatedAt: string): Promise<void> {
  await schedule(jobs, clock, TRANSFER_UNCONFIRMED_JOB, transferId, transferDeadline(await loadRiskRules(ledger), new Date(initiatedAt)), { transferId });
}

/** 注册审核超期: still pending after the rule's working days (CST calendar with holidays and 调休). */
export function registrationOverdueJob(ledger: Ledger, jobs: JobQueue, clock: Clock, calendar: HolidayCalendar) {
  return async (job: Job<{ entityId: string }>): Promise<void> => {
    const entity = await ledger.load(entityStreamId(job.data.entityId), entityDecider);
    const s = entity.state;
    if (s.status !== 'pending' || !s.appliedAt) return;
    const now = clock.now();
    const rules = await loadRiskRules(ledger);
    const rule = applicableRule(rules, 'registrationReviewOverdue', (r) => registrationReviewDeadline(r, new Date(s.appliedAt!), calendar) < now);
    if (!rule) {
      await schedule(jobs, clock, REGISTRATION_OVERDUE_JOB, s.entityId, registrationDeadline(rules, new Date(s.appliedAt), calendar), { entityId: s.entityId }, `:again-${now.getTime()}`);
      return;
    }
    const deadline = registrationReviewDeadline(rule, new Date(s.appliedAt), calendar).toISOString();
    await raiseWarning(
      ledger,
      clock,
      {
        warningId: registrationOverdueWarningId(s.entityId),
        rule,
        subject: { kind: 'entity', regionCode: s.regionCode, traceCode: null, entityId: s.entityId, entityName: s.name, product: s.products[0] ?? null, transferId: null, sampleId: null },
        reason: `主体注册申请已超过${rule.params.workingDays}个工作日未审核（截止 ${deadline}）`,
        cause: { kind: 'registration', ref: s.entityId, sampleId: null, sourceTraceCode: null, sourceWarningId: null },
        hold: false,
        evidence: { appliedAt: s.appliedAt, deadline, workingDays: rule.params.workingDays },
      },
      { actor: SYSTEM_ACTOR, correlationId: `registration-${s.entityId}` },
    );
  };
}

/** 交易长时间未确认: a shipment the receiver neither confirmed nor rejected within the rule's hours. */
export function transferUnconfirmedJob(ledger: Ledger, jobs: JobQueue, clock: Clock) {
  return async (job: Job<{ transferId: string }>): Promise<void> => {
    const transfer = await ledger.load(transferStreamId(job.data.transferId), transferDecider);
    const t = transfer.state;
    if (t.status !== 'pending' || !t.initiatedAt || t.to?.kind !== 'registered') return;
    const now = clock.now();
    const rules = await loadRiskRules(ledger);
    const rule = applicableRule(rules, 'transferUnconfirmed', (r) => transferConfirmationDeadline(r, new Date(t.initiatedAt!)) < now);
    if (!rule) {
      await schedule(jobs, clock, TRANSFER_UNCONFIRMED_JOB, t.transferId, transferDeadline(rules, new Date(t.initiatedAt)), { transferId: t.transferId }, `:again-${now.getTime()}`);
      return;
    }
    await raiseWarning(
      ledger,
      clock,
      {
        warningId: transferUnconfirmedWarningId(t.transferId),
        rule,
        subject: { kind: 'transfer', regionCode: regionOfEid(t.to.eid), traceCode: t.fromTraceCode, entityId: t.to.entityId, entityName: t.to.name, product: t.product ?? null, transferId: t.transferId, sampleId: null },
        reason: `扫码交易发出已超过${rule.params.hours}小时，接收方未确认`,
        cause: { kind: 'transfer', ref: t.transferId, sampleId: null, sourceTraceCode: null, sourceWarningId: null },
        hold: false,
        evidence: { initiatedAt: t.initiatedAt, hours: rule.params.hours, fromEntityId: t.fromEntityId, fromTraceCode: t.fromTraceCode, quantity: t.quantity },
      },
      { actor: SYSTEM_ACTOR, correlationId: `transfer-${t.transferId}` },
    );
  };
}
