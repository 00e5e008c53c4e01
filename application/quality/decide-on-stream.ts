import type { DecisionContext } from '../../domain/shared/actor';
import type { Decider } from '../../domain/shared/decider';
import { NotFoundError } from '../../domain/shared/errors';
import type { DomainEvent } from '../../domain/shared/event';
import type { Ledger, LoadedStream, StreamWrite } from '../ledger/ledger';

/** Loads a stream that must exist (404 naming `what` otherwise). */
export async function loadExisting<C, E extends DomainEvent, S extends { status: string }, X>(
  ledger: Ledger,
  streamId: string,
  decider: Decider<C, E, S, X>,
  what: string,
  id: string,
): Promise<LoadedStream<S>> {
  const stream = await ledger.load(streamId, decider);
  if (stream.state.status === 'none') throw new NotFoundError(what, id);
  return stream;
}

/** The usual one-stream command: load (must exist) → decide → the write. */
export async function decideOnExisting<C, E extends DomainEvent, S extends { status: string }>(
  ledger: Ledger,
  streamId: string,
  decider: Decider<C, E, S, DecisionContext>,
  what: string,
  id: string,
  command: C,
  ctx: DecisionContext,
): Promise<StreamWrite[]> {
  const stream = await loadExisting(ledger, streamId, decider, what, id);
  return [{ stream, events: decider.decide(command, stream.state, ctx) }];
}

/** A new aggregate: decided on the initial state, appended with `no_stream`. */
export function decideFresh<C, E extends DomainEvent, S>(ledger: Ledger, streamId: string, decider: Decider<C, E, S, DecisionContext>, command: C, ctx: DecisionContext): StreamWrite[] {
  return [{ stream: ledger.fresh(streamId), events: decider.decide(command, decider.initialState(), ctx) }];
}
