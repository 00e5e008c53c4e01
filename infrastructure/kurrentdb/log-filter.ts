import { eventTypeFilter, streamNameFilter, type Filter } from '@kurrent/kurrentdb-client';
import type { EventFilter } from '../../application/ports/event-store';

/** Type of the per-command marker event (see kurrentdb-event-store.ts); never part of the domain log. */
export const COMMAND_MARKER_TYPE = 'SuyuanCommandRecorded';
export const COMMAND_MARKER_PREFIX = 'cmd-';

/**
 * A port EventFilter as (a) the one server-side filter KurrentDB allows per read/subscription — on event
 * type *or* on stream name — and (b) a client-side predicate that applies the whole filter and drops
 * system events and command markers. The server filter does the heavy lifting (event types when given,
 * else stream prefixes, else "no system events, no markers"); the predicate makes the result exact.
 */
export function serverFilter(filter: EventFilter | undefined, progress: ServerFilterProgress = {}): Filter {
  const types = filter?.eventTypes?.filter((t) => t !== '') ?? [];
  const prefixes = filter?.streamPrefixes ?? [];
  if (types.length > 0) return eventTypeFilter({ regex: `^(?:${types.map(escapeRegex).join('|')})$`, ...progress });
  if (prefixes.length > 0 && !prefixes.includes('')) return streamNameFilter({ prefixes, ...progress });
  return eventTypeFilter({ regex: `^(?!\\$|${COMMAND_MARKER_TYPE}$)`, ...progress });
}

/** KurrentDB's checkpoints of a filtered subscription: how far the server has searched the log. */
export type ServerFilterProgress = Pick<Parameters<typeof eventTypeFilter>[0], 'checkpointInterval' | 'checkpointReached'>;

export function matchesFilter(
  event: { type: string; streamId: string },
  filter: EventFilter | undefined,
): boolean {
  if (!isDomainEvent(event)) return false;
  const types = filter?.eventTypes ?? [];
  if (types.length > 0 && !types.includes(event.type)) return false;
  const prefixes = filter?.streamPrefixes ?? [];
  if (prefixes.length > 0 && !prefixes.some((p) => event.streamId.startsWith(p))) return false;
  return true;
}

/** Not a KurrentDB system event/stream and not one of our command markers. */
export function isDomainEvent(event: { type: string; streamId: string }): boolean {
  if (event.type.startsWith('$') || event.streamId.startsWith('$')) return false;
  return !(event.type === COMMAND_MARKER_TYPE && event.streamId.startsWith(COMMAND_MARKER_PREFIX));
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
