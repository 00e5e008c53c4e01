import type { Decider } from '../shared/decider';
import type { IncidentCommand } from './commands';
import { decide, type IncidentContext } from './decide';
import type { IncidentEvent } from './events';
import { evolve, initialState, type IncidentState } from './state';

export * from './types';
export * from './commands';
export * from './events';
export * from './state';
export * from './decide';
export * from './lead-agency';

export const incidentStreamId = (incidentId: string): string => `incident-${incidentId}`;

/** Aggregate "incident" (应急事件), stream `incident-{id}`. */
export const decider: Decider<IncidentCommand, IncidentEvent, IncidentState, IncidentContext> = { decide, evolve, initialState };
