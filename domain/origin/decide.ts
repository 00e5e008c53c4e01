import type { DecisionContext } from '../shared/actor';
import { InvalidStateError, ValidationError } from '../shared/errors';
import { assertNever } from '../shared/event';
import type { OriginRecordCommand } from './commands';
import type { OriginPlace, OriginRecordEvent } from './events';
import { changedFields, fingerprintOf, validateFields } from './fields';
import type { PlaceDirectory } from './places';
import { refreshDueAt } from './refresh';
import { classifyScope, type ScopeRules } from './scope-rules';
import type { OriginRecordState } from './state';
import type { OriginActorRef, OriginRecordFields } from './types';

/** Besides time and actor: the village directory and the scope rules in force (national + province overrides). */
export interface OriginContext extends DecisionContext {
  places: PlaceDirectory;
  rules: ScopeRules;
}

const actorRef = (ctx: DecisionContext): OriginActorRef => ({
  userId: ctx.actor.userId,
  orgId: ctx.actor.orgId,
  role: ctx.actor.role,
  regionCode: ctx.actor.regionCode ?? '',
});

const placeOf = (fields: OriginRecordFields): OriginPlace => ({
  countyCode: fields.address.countyCode,
  townshipCode: fields.address.townshipCode,
  villageCode: fields.address.villageCode,
});

export function decide(command: OriginRecordCommand, state: OriginRecordState, ctx: OriginContext): OriginRecordEvent[] {
  const now = ctx.now.toISOString();
  if (command.type === 'CollectOriginRecord') {
    if (state.status !== 'none') throw new InvalidStateError(`origin record ${state.recordId} already exists`, { recordId: state.recordId });
    const d = command.data;
    if (typeof d.recordId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(d.recordId)) throw new ValidationError('recordId', 'recordId must be 1–64 letters, digits, - or _');
    const fields = validateFields(d.fields, ctx.places);
    return [
      {
        type: 'OriginRecordCollected',
        data: {
          ...placeOf(fields),
          recordId: d.recordId,
          fields,
          scope: classifyScope(fields, ctx.rules),
          channel: d.channel,
          importId: d.importId ?? null,
          row: d.row ?? null,
          fingerprint: fingerprintOf(fields),
          collectedBy: actorRef(ctx),
          collectedAt: now,
          refreshDueAt: refreshDueAt(fields.industry, fields.marketing, ctx.now),
          reviewState: 'pending',
        },
      },
    ];
  }
  if (state.status === 'none' || !state.fields) throw new InvalidStateError('no such origin record', { command: command.type });
  const place = placeOf(state.fields);
  const recordId = state.recordId;
  if (state.status === 'retired' && command.type !== 'FlagOverdueReturn') throw new InvalidStateError(`origin record ${recordId} is retired`, { recordId });

  switch (command.type) {
    case 'ChangeOriginRecord': {
      const d = command.data;
      const fields = validateFields(d.fields, ctx.places);
      const fingerprint = fingerprintOf(fields);
      if (fingerprint === state.fingerprint) return [];
      const open = state.openReturn;
      return [
        {
          type: 'OriginRecordChanged',
          data: {
            ...placeOf(fields),
            recordId,
            fields,
            changed: changedFields(state.fields, fields),
            scope: classifyScope(fields, ctx.rules),
            channel: d.channel,
            importId: d.importId ?? null,
            row: d.row ?? null,
            fingerprint,
            changedBy: actorRef(ctx),
            changedAt: now,
            refreshDueAt: refreshDueAt(fields.industry, fields.marketing, ctx.now),
            reviewState: 'pending',
            answeredReturn: open ? { returnedAt: open.returnedAt, deadline: open.deadline, late: ctx.now.getTime() > Date.parse(open.deadline) } : null,
          },
        },
      ];
    }
    case 'RefreshOriginRecord':
      return [
        {
          type: 'OriginRecordRefreshed',
          data: { ...place, recordId, refreshedBy: actorRef(ctx), refreshedAt: now, refreshDueAt: refreshDueAt(state.fields.industry, state.fields.marketing, ctx.now), reviewState: state.reviewState },
        },
      ];
    case 'ApproveOriginRecord':
      if (state.reviewState !== 'pending') throw new InvalidStateError(`origin record ${recordId} is ${state.reviewState}, not pending review`, { recordId, reviewState: state.reviewState });
      return [{ type: 'OriginRecordApproved', data: { ...place, recordId, fingerprint: state.fingerprint, approvedBy: actorRef(ctx), approvedAt: now, reviewState: 'approved', collectorUserId: state.collectorUserId } }];
    case 'ReturnOriginRecord': {
      if (state.reviewState === 'returned') throw new InvalidStateError(`origin record ${recordId} is already returned`, { recordId });
      const reason = command.data.reason;
      if (typeof reason !== 'string' || reason.trim() === '') throw new ValidationError('reason', 'reason is required (退回原因)');
      if (reason.length > 1000) throw new ValidationError('reason', 'reason is longer than 1000 characters');
      const deadline = command.data.deadline;
      const t = typeof deadline === 'string' ? Date.parse(deadline) : NaN;
      if (Number.isNaN(t)) throw new ValidationError('deadline', 'deadline must be an ISO date-time');
      if (t <= ctx.now.getTime()) throw new ValidationError('deadline', 'deadline must be in the future');
      return [
        {
          type: 'OriginRecordReturned',
          data: { ...place, recordId, reason: reason.trim(), deadline: new Date(t).toISOString(), returnedBy: actorRef(ctx), returnedAt: now, reviewState: 'returned', collectorUserId: state.collectorUserId },
        },
      ];
    }
    case 'FlagOverdueReturn': {
      const open = state.openReturn;
      if (!open || open.overdueFlagged || state.reviewState !== 'returned' || ctx.now.getTime() <= Date.parse(open.deadline)) return [];
      return [{ type: 'OriginReturnOverdue', data: { ...place, recordId, collectorUserId: state.collectorUserId, returnedAt: open.returnedAt, deadline: open.deadline, flaggedAt: now } }];
    }
    case 'RetireOriginRecord': {
      const reason = command.data.reason;
      if (typeof reason !== 'string' || reason.trim() === '') throw new ValidationError('reason', 'reason is required');
      return [{ type: 'OriginRecordRetired', data: { ...place, recordId, reason: reason.trim(), retiredBy: actorRef(ctx), retiredAt: now } }];
    }
    default:
      return assertNever(command);
  }
}
