import type { DecisionContext } from '../shared/actor';
import type { Decider } from '../shared/decider';
import { BusinessRuleError, ValidationError } from '../shared/errors';
import { assertNever, type DomainEvent } from '../shared/event';
import { dateSegment, MAX_SEQUENCE, traceCodeParts } from './trace-code';

/**
 * Lot numbering per entity and production date, stream `lotseq-{eid}-{YYMMDD}`. Appending with the
 * expected revision makes two concurrent lot creations get different sequence numbers: the
 * loser's append fails and it retries with the next number.
 *
 * Flow: load → nextSequence(state) → formatTraceCode(…, sequence) → decide(AssignLotNumber).
 */
export type AssignLotNumber = { type: 'AssignLotNumber'; data: { traceCode: string } };
export type LotSequenceCommand = AssignLotNumber;

export type LotNumberAssigned = DomainEvent<'LotNumberAssigned', { sequence: number; traceCode: string; assignedAt: string }>;
export type LotSequenceEvent = LotNumberAssigned;

/** How many lot numbers have been assigned in this stream. */
export type LotSequenceState = number;

export function initialState(): LotSequenceState {
  return 0;
}

export function nextSequence(state: LotSequenceState): number {
  return state + 1;
}

export function lotSequenceStreamId(eid: string, productionDate: string): string {
  return `lotseq-${eid}-${/^\d{6}$/.test(productionDate) ? productionDate : dateSegment(productionDate)}`;
}

export function decide(command: LotSequenceCommand, state: LotSequenceState, ctx: DecisionContext): LotSequenceEvent[] {
  switch (command.type) {
    case 'AssignLotNumber': {
      const parts = traceCodeParts(command.data.traceCode);
      if (!parts) throw new ValidationError('traceCode', 'traceCode is not a well-formed trace code');
      const expected = nextSequence(state);
      if (expected > MAX_SEQUENCE) {
        throw new BusinessRuleError('SEQUENCE_EXHAUSTED', `no more lot numbers for this entity and date (max ${MAX_SEQUENCE})`);
      }
      if (parts.sequence !== expected) {
        throw new BusinessRuleError('SEQUENCE_MISMATCH', `trace code carries sequence ${parts.sequence}, next is ${expected}`, {
          sequence: parts.sequence,
          expected,
        });
      }
      return [{ type: 'LotNumberAssigned', data: { sequence: expected, traceCode: command.data.traceCode, assignedAt: ctx.now.toISOString() } }];
    }
    default:
      return assertNever(command.type);
  }
}

export function evolve(state: LotSequenceState, event: LotSequenceEvent): LotSequenceState {
  switch (event.type) {
    case 'LotNumberAssigned':
      return Math.max(state, event.data.sequence);
    default:
      return assertNever(event.type);
  }
}

export const decider: Decider<LotSequenceCommand, LotSequenceEvent, LotSequenceState, DecisionContext> = {
  decide,
  evolve,
  initialState,
};
