import type { Decider } from '../shared/decider';
import type { RegistrationCommand } from './commands';
import { decide, type RegistrationContext } from './decide';
import type { RegistrationEvent } from './events';
import { evolve, initialState, type RegistrationState } from './state';

export * from './types';
export * from './commands';
export * from './events';
export * from './state';
export * from './decide';
export * from './eid';
export * from './credit-code';

/** Aggregate "entity", stream `entity-{entityId}`. */
export const decider: Decider<RegistrationCommand, RegistrationEvent, RegistrationState, RegistrationContext> = {
  decide,
  evolve,
  initialState,
};
