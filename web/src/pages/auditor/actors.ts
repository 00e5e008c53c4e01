import { get } from '../../api/client';
import type { Entity, RecordedEvent, StreamHistory } from '../../api/types';
import { label } from '../../i18n/i18n';

/** Who an event's actor was, as a person reads it: name, organisation, role. */
export interface ActorName {
  name: string;
  org: string | null;
  role: string;
}

const cache = new Map<string, Promise<ActorName>>();

/**
 * Resolves an actor by what the ledger itself holds: a signed-in account's own stream (`account-{userId}`:
 * its display and organisation names), else the entity it acts for (producers: orgId is the entity id). An
 * actor with neither (the system, the demo loader's fixed actors) keeps its ids.
 */
export function actorName(actor: RecordedEvent['actor']): Promise<ActorName> {
  const key = `${actor.userId}|${actor.orgId}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = resolve(actor);
    cache.set(key, hit);
  }
  return hit;
}

async function resolve(actor: RecordedEvent['actor']): Promise<ActorName> {
  const role = label('role', actor.role);
  // A producer acts for its entity (orgId = entity id): its name is the one to show, no account lookup needed.
  if (actor.role === 'producer' && actor.orgId) {
    try {
      const entity = await get<Entity>(`/api/v1/entities/${encodeURIComponent(actor.orgId)}`);
      return { name: entity.name, org: entity.eid, role };
    } catch {
      /* fall through */
    }
  }
  if (actor.role !== 'system' && actor.role !== 'consumer') {
    try {
      const account = await get<StreamHistory>(`/api/v1/audit/streams/${encodeURIComponent(`account-${actor.userId}`)}`);
      const created = account.events.find((e) => e.type === 'AccountCreated')?.data as { displayName?: string; orgName?: string } | undefined;
      if (created?.displayName) return { name: created.displayName, org: created.orgName ?? null, role };
    } catch {
      /* not an account (a fixed actor of the demo loader), or outside the auditor's region: keep the ids */
    }
  }
  return { name: actor.userId, org: actor.orgId || null, role };
}

export const actorText = (a: ActorName) => `${a.name}${a.org && a.org !== a.name ? `（${a.org}）` : ''} · ${a.role}`;
