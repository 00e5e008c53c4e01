import type { Decider } from '../shared/decider';
import type { SampleCommand } from './commands';
import { decide, type SampleContext } from './decide';
import type { SampleEvent } from './events';
import { evolve, initialState, type SampleState } from './state';

export * from './types';
export * from './concentration';
export * from './verdict';
export * from './commands';
export * from './events';
export * from './state';
export * from './decide';

/** Aggregate "sample" (抽样 + 检测结果 + 复检), stream `sample-{sampleId}`. */
export const decider: Decider<SampleCommand, SampleEvent, SampleState, SampleContext> = { decide, evolve, initialState };
