import type { DecisionContext } from '../shared/actor';
import { BusinessRuleError, InvalidStateError, ValidationError } from '../shared/errors';
import { assertNever } from '../shared/event';
import { assertValidQuantity, convert, isUnit, type Quantity, type Unit } from '../shared/quantity';
import { optionalText, requireText } from '../shared/validate';
import type { RecallCommand } from './commands';
import type { RecallEvent } from './events';
import { accountedOf, affectedOf, evolve, round3, standingOf, type RecallState } from './state';
import { RECALL_DISPOSITIONS, type RecallHolder, type RecallLot } from './types';

export type RecallContext = DecisionContext;

export function decide(command: RecallCommand, state: RecallState, ctx: RecallContext): RecallEvent[] {
  const now = ctx.now.toISOString();
  if (command.type === 'IssueRecallNotice') {
    if (state.status !== 'none') throw new InvalidStateError('the holder was already notified', { incidentId: state.incidentId });
    const d = command.data;
    const incidentId = requireText(d.incidentId, 'incidentId', 100);
    const holder = validateHolder(d.holder);
    const lots = validateLots(d.lots);
    if (lots.length === 0) throw new ValidationError('lots', 'a recall notice lists at least one lot');
    const deadline = requireText(d.deadline, 'deadline', 40);
    if (Number.isNaN(Date.parse(deadline))) throw new ValidationError('deadline', 'deadline must be an ISO date-time');
    return withStanding(state, { type: 'RecallNoticeIssued', data: { incidentId, holder, lots, deadline, issuedAt: now, standing: [] } });
  }
  if (state.status === 'none' || !state.holder) throw new InvalidStateError('no recall notice was issued to this holder', { command: command.type });
  const base = { incidentId: state.incidentId, holderEntityId: state.holder.entityId, regionCode: state.holder.regionCode };

  switch (command.type) {
    case 'UpdateRecallLots': {
      const lots = validateLots(command.data.lots).filter((l) => {
        const known = state.lots[l.traceCode];
        return !known || known.received !== l.received || known.passedOn !== l.passedOn;
      });
      if (lots.length === 0) return [];
      return withStanding(state, { type: 'RecallLotsUpdated', data: { ...base, lots, updatedAt: now, standing: [] } });
    }
    case 'AcknowledgeRecall': {
      if (state.status === 'acknowledged') throw new InvalidStateError('the notice was already acknowledged', { holderEntityId: state.holder.entityId });
      const note = optionalText(command.data.note, 'note', 2000) ?? null;
      return [{ type: 'RecallAcknowledged', data: { ...base, note, acknowledgedAt: now, acknowledgedBy: ctx.actor.userId } }];
    }
    case 'ReportRecallQuantities': {
      if (state.status !== 'acknowledged') throw new InvalidStateError('acknowledge the notice before reporting quantities', { status: state.status });
      const reportId = requireText(command.data.reportId, 'reportId', 100);
      if (state.reportIds.includes(reportId)) throw new InvalidStateError(`report ${reportId} was already recorded`, { reportId });
      const asked = command.data.lots;
      if (!Array.isArray(asked) || asked.length === 0) throw new ValidationError('lots', 'a report covers at least one lot');
      const seen = new Set<string>();
      const lots = asked.map((r, i) => {
        const lot = state.lots[r?.traceCode];
        if (!lot) throw new ValidationError(`lots[${i}].traceCode`, `lots[${i}].traceCode is not a lot of this notice`, { traceCode: r?.traceCode ?? null });
        if (seen.has(lot.traceCode)) throw new ValidationError(`lots[${i}].traceCode`, `lot ${lot.traceCode} appears twice in the report`);
        seen.add(lot.traceCode);
        const added = { recovered: 0, destroyed: 0, soldToConsumers: 0 };
        let accounted = accountedOf(lot.tally);
        const affected = affectedOf(lot);
        for (const disposition of RECALL_DISPOSITIONS) {
          const q = r[disposition];
          if (q === undefined || q === null) continue;
          const field = `lots[${i}].${disposition}`;
          const amount = inLotUnit(q, lot.unit, field);
          accounted = round3(accounted + amount);
          if (accounted > affected) {
            throw new BusinessRuleError(
              'RECALL_EXCEEDS_HOLDING',
              `${field}: lot ${lot.traceCode} leaves ${round3(affected - accountedOf(lot.tally))} ${lot.unit} for this holder to account for (received ${lot.received}, passed on ${lot.passedOn}, reported ${accountedOf(lot.tally)})`,
              { field, traceCode: lot.traceCode, unit: lot.unit, received: lot.received, passedOn: lot.passedOn, alreadyReported: accountedOf(lot.tally), requested: amount },
            );
          }
          added[disposition] = amount;
        }
        if (added.recovered + added.destroyed + added.soldToConsumers === 0) {
          throw new ValidationError(`lots[${i}]`, `lots[${i}] reports no quantity`, { traceCode: lot.traceCode });
        }
        return { traceCode: lot.traceCode, unit: lot.unit, ...added };
      });
      const note = optionalText(command.data.note, 'note', 2000) ?? null;
      return withStanding(state, {
        type: 'RecallQuantitiesReported',
        data: { ...base, reportId, lots, note, reportedAt: now, reportedBy: ctx.actor.userId, standing: [] },
      });
    }
    case 'EscalateOverdueRecall': {
      if (state.status === 'acknowledged' || state.escalated) return [];
      if (ctx.now.getTime() < Date.parse(state.deadline)) return [];
      return [{ type: 'RecallEscalated', data: { ...base, holderName: state.holder.name, deadline: state.deadline, escalatedAt: now } }];
    }
    default:
      return assertNever(command);
  }
}

/** Fills `standing` with the lots' standing after the event (evolve ignores it, so the placeholder is safe). */
function withStanding<E extends Extract<RecallEvent, { data: { standing: unknown } }>>(state: RecallState, event: E): RecallEvent[] {
  const after = evolve(state, event);
  return [{ ...event, data: { ...event.data, standing: standingOf(after) } } as E];
}

function inLotUnit(q: Quantity, unit: string, field: string): number {
  assertValidQuantity(q, field);
  if (q.amount < 0) throw new ValidationError(`${field}.amount`, `${field}.amount must not be negative`);
  return convert(q, unit as Unit, field).amount;
}

function validateHolder(h: RecallHolder): RecallHolder {
  if (typeof h !== 'object' || h === null) throw new ValidationError('holder', 'holder is required');
  if (typeof h.regionCode !== 'string' || !/^\d{6}$/.test(h.regionCode)) throw new ValidationError('holder.regionCode', 'holder.regionCode must be a 6-digit region code');
  return {
    entityId: requireText(h.entityId, 'holder.entityId', 100),
    name: requireText(h.name, 'holder.name'),
    eid: optionalText(h.eid, 'holder.eid', 64) ?? null,
    regionCode: h.regionCode,
    contact: { person: optionalText(h.contact?.person, 'holder.contact.person', 100) ?? null, phone: optionalText(h.contact?.phone, 'holder.contact.phone', 40) ?? null },
  };
}

function validateLots(lots: RecallLot[]): RecallLot[] {
  if (!Array.isArray(lots)) throw new ValidationError('lots', 'lots must be a list');
  return lots.map((l, i) => {
    const field = `lots[${i}]`;
    if (!isUnit(l?.unit)) throw new ValidationError(`${field}.unit`, `${field}.unit is not a unit`);
    for (const k of ['received', 'passedOn'] as const) {
      if (typeof l[k] !== 'number' || !Number.isFinite(l[k]) || l[k] < 0) throw new ValidationError(`${field}.${k}`, `${field}.${k} must be a number ≥ 0`);
    }
    return { traceCode: requireText(l.traceCode, `${field}.traceCode`, 64), product: requireText(l.product, `${field}.product`, 200), unit: l.unit, received: l.received, passedOn: Math.min(l.passedOn, l.received) };
  });
}
