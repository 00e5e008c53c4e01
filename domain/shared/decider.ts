/**
 * The Emmett-style decider shape every aggregate exports as `decider`.
 * `initialState` is a function so callers can never share (and accidentally mutate) one state object.
 */
export interface Decider<Command, Event, State, Context> {
  decide(command: Command, state: State, context: Context): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** Folds events onto the initial state: the way handlers rebuild an aggregate from its stream. */
export function replay<Command, Event, State, Context>(
  decider: Decider<Command, Event, State, Context>,
  events: readonly Event[],
): State {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}
