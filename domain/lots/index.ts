import type { Decider } from '../shared/decider';
import type { LotCommand } from './commands';
import { decide, type LotContext } from './decide';
import type { LotEvent } from './events';
import { evolve, initialState, type LotState } from './state';

export * from './types';
export * from './commands';
export * from './events';
export * from './state';
export * from './decide';
export * from './trace-code';
export * from './holds';
/** The per-entity-per-date numbering aggregate; namespaced because it has its own decide/evolve. */
export * as lotSequence from './lot-sequence';
export { nextSequence, lotSequenceStreamId } from './lot-sequence';

/** Aggregate "lot", stream `lot-{traceCode}`. */
export const decider: Decider<LotCommand, LotEvent, LotState, LotContext> = { decide, evolve, initialState };
