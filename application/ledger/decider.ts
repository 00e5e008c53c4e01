import type { DomainEvent } from '../../domain/shared/event';

/** The shape every aggregate of domain/ exposes (Emmett-style). */
export interface Decider<S, C, E extends DomainEvent, Ctx> {
  decide(command: C, state: S, ctx: Ctx): E[];
  evolve(state: S, event: E): S;
  initialState: S | (() => S);
}

export function initial<S>(decider: { initialState: S | (() => S) }): S {
  const init = decider.initialState;
  return typeof init === 'function' ? (init as () => S)() : structuredClone(init);
}
