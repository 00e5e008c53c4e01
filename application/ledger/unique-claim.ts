import type { DomainEvent } from '../../domain/shared/event';

/**
 * A uniqueness claim: a stream named after the unique value, appended with expected revision
 * `no_stream` in the same atomic append as the aggregate that takes the value. A second claim of the
 * same value fails with a concurrency error, so uniqueness holds in the ledger itself, not in an
 * eventually-consistent read model. The claim also answers "who owns this value" by reading one stream.
 */
export type UniqueValueClaimed = DomainEvent<'UniqueValueClaimed', { kind: string; value: string; ownerStreamId: string; ownerId: string }>;

export function claimStreamId(kind: string, value: string): string {
  return `${kind}-${value}`;
}

export function claim(kind: string, value: string, ownerStreamId: string, ownerId: string): UniqueValueClaimed {
  return { type: 'UniqueValueClaimed', data: { kind, value, ownerStreamId, ownerId } };
}
