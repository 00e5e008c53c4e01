import type { Decider } from '../shared/decider';
import type { RecallCommand } from './commands';
import { decide, type RecallContext } from './decide';
import type { RecallEvent } from './events';
import { evolve, initialState, type RecallState } from './state';

export * from './types';
export * from './commands';
export * from './events';
export * from './state';
export * from './decide';

/** One holder's recall in one incident (召回), stream `recall-{incidentId}-{holderEntityId}`. */
export const recallStreamId = (incidentId: string, holderEntityId: string): string => `recall-${incidentId}-${holderEntityId}`;

export const decider: Decider<RecallCommand, RecallEvent, RecallState, RecallContext> = { decide, evolve, initialState };
