import type { Decider } from '../shared/decider';
import type { OriginRecordCommand } from './commands';
import { decide, type OriginContext } from './decide';
import type { OriginRecordEvent } from './events';
import { evolve, initialState, type OriginRecordState } from './state';

export * from './types';
export * from './events';
export * from './commands';
export * from './fields';
export * from './products';
export * from './scope-rules';
export * from './refresh';
export * from './places';
export * from './decimal';
export * from './state';
export * from './decide';
export * from './contacts';

/** One origin record (产地溯源信息) per base or plot, stream `origin-{recordId}`. */
export const originStreamId = (recordId: string): string => `origin-${recordId}`;

export const decider: Decider<OriginRecordCommand, OriginRecordEvent, OriginRecordState, OriginContext> = { decide, evolve, initialState };
export * from './targets';
export * from './scope-overrides';
