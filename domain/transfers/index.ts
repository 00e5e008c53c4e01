import type { Decider } from '../shared/decider';
import type { TransferCommand } from './commands';
import { decide, type TransferContext } from './decide';
import type { TransferEvent } from './events';
import { evolve, initialState, type TransferState } from './state';

export * from './types';
export * from './commands';
export * from './events';
export * from './state';
export * from './decide';

/** Aggregate "transfer", stream `transfer-{transferId}`. */
export const decider: Decider<TransferCommand, TransferEvent, TransferState, TransferContext> = { decide, evolve, initialState };
