import type { Decider } from '../shared/decider';
import type { TaskCommand } from './commands';
import { decide, type TaskContext } from './decide';
import type { TaskEvent } from './events';
import { evolve, initialState, type TaskState } from './state';

export * from './types';
export * from './model';
export * from './commands';
export * from './events';
export * from './state';
export * from './decide';
export * from './random-selection';
export * from './actors';

/** Aggregate "monitoring task" (风险监测 / 监督抽查), stream `task-{taskId}`. */
export const decider: Decider<TaskCommand, TaskEvent, TaskState, TaskContext> = { decide, evolve, initialState };
