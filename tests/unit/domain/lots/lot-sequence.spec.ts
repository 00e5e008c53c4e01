import { BusinessRuleError, ValidationError } from '../../../../domain/shared/errors';
import { lotSequence, nextSequence, lotSequenceStreamId, MAX_SEQUENCE } from '../../../../domain/lots';
import { NOW, spec } from '../support/decider-spec';
import { FARM_EID, traceCode } from '../support/fixtures';

const assigned = (sequence: number): lotSequence.LotSequenceEvent => ({
  type: 'LotNumberAssigned',
  data: { sequence, traceCode: traceCode({ sequence }), assignedAt: NOW.toISOString() },
});
const assign = (sequence: number) => ({ type: 'AssignLotNumber' as const, data: { traceCode: traceCode({ sequence }) } });

describe('lot sequence', () => {
  it('starts at 1 and counts up', () => {
    expect(nextSequence(lotSequence.initialState())).toBe(1);
    const { state } = spec(lotSequence.decider).given([]).when(assign(1)).then([assigned(1)]);
    expect(state).toBe(1);
    spec(lotSequence.decider).given([assigned(1), assigned(2)]).when(assign(3)).then([assigned(3)]);
  });

  it('refuses a code whose sequence is not the next one (a concurrent creator took it)', () => {
    spec(lotSequence.decider).given([assigned(1)]).when(assign(1)).thenThrows(BusinessRuleError, 'SEQUENCE_MISMATCH');
    spec(lotSequence.decider).given([assigned(1)]).when(assign(3)).thenThrows(BusinessRuleError, 'SEQUENCE_MISMATCH');
  });

  it('refuses a malformed code and runs out after the last 4-character number', () => {
    spec(lotSequence.decider).given([]).when({ type: 'AssignLotNumber', data: { traceCode: 'nope' } }).thenThrows(ValidationError, 'traceCode');
    // evolve keeps the highest sequence seen, so one event stands in for a full day of lots.
    spec(lotSequence.decider).given([assigned(MAX_SEQUENCE)]).when(assign(MAX_SEQUENCE)).thenThrows(BusinessRuleError, 'SEQUENCE_EXHAUSTED');
  });

  it('names its stream per e-ID and production date', () => {
    expect(lotSequenceStreamId(FARM_EID, '2026-03-09')).toBe(`lotseq-${FARM_EID}-260309`);
    expect(lotSequenceStreamId(FARM_EID, '260309')).toBe(`lotseq-${FARM_EID}-260309`);
  });
});
