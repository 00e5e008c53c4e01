import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '../../domain/shared/actor';
import { CLOCK, type Clock } from '../ports/clock';
import { GRANT_SOURCE, type AccessGrant, type GrantSource } from './grants';
import { assertAllowed, decide, type AccessDecision } from './policy';
import type { Resource } from './resources';

export type Allowed = Extract<AccessDecision, { allowed: true }>;

/**
 * The policy with its grants at hand, for controllers and handlers: `read` and `act` answer the decision or
 * throw its refusal. Grants are looked up only when the region does not already allow the read (most reads
 * never cost a grant lookup), and never for an act (grants open records for reading only).
 */
@Injectable()
export class AccessPolicy {
  constructor(
    @Inject(GRANT_SOURCE) private readonly grants: GrantSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** May the actor see this record? A grant that opened it is named in the answer (for the access log). */
  async read(actor: Actor, resource: Resource): Promise<Allowed> {
    const first = decide(actor, 'read', resource, []);
    if (first.allowed || first.reason !== 'out-of-region') return assertAllowed(actor, 'read', resource, []);
    return assertAllowed(actor, 'read', resource, await this.grantsFor(actor));
  }

  /** May the actor change this record (or act on it: sample it, review it, close it)? */
  act(actor: Actor, resource: Resource): Allowed {
    return assertAllowed(actor, 'act', resource, []);
  }

  /** The grants in force for the actor now (for redacting answers that hold many records). */
  async grantsFor(actor: Actor): Promise<AccessGrant[]> {
    if (actor.role === 'system' || actor.role === 'producer' || actor.role === 'consumer') return [];
    return this.grants.activeGrantsFor({ role: actor.role, ...(actor.regionCode !== undefined ? { regionCode: actor.regionCode } : {}), orgId: actor.orgId }, this.clock.now());
  }
}
