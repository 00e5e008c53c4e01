import type { Request } from 'express';
import type { Actor, Role } from '../../../domain/shared/actor';
import { ValidationError } from '../../../domain/shared/errors';

const ROLES: readonly Role[] = [
  'system', 'ministry-admin', 'province-admin', 'city-admin', 'county-admin', 'township-admin',
  'supervisor', 'inspector', 'lab', 'enforcement', 'producer', 'consumer', 'auditor',
];

/**
 * The acting user of a request. Until accounts and tokens land (issue #5), the caller states its identity
 * in `X-User-Id`, `X-Org-Id` (for producers: their entity id), `X-Role` and `X-Region` headers — a
 * development identity, trusted as given. The rules that depend on it (only the receiver confirms a
 * transfer, …) are enforced in the domain already, so swapping in verified tokens changes only this file.
 */
export function requestActor(req: Request): Actor {
  const role = (req.header('x-role') ?? 'ministry-admin') as Role;
  if (!ROLES.includes(role)) throw new ValidationError('X-Role', `Unknown role ${role}`, { allowed: ROLES });
  return {
    userId: req.header('x-user-id') ?? 'dev-user',
    orgId: req.header('x-org-id') ?? 'dev-org',
    role,
    regionCode: req.header('x-region') ?? '',
  };
}

/** Idempotency key: `Idempotency-Key` header or `commandId` in the body; a fresh one otherwise. */
export function requestCommandId(req: Request, fresh: () => string): string {
  const fromHeader = req.header('idempotency-key');
  const fromBody = req.body && typeof req.body === 'object' ? (req.body as { commandId?: unknown }).commandId : undefined;
  const id = fromHeader ?? fromBody;
  if (id === undefined) return fresh();
  if (typeof id !== 'string' || id.length < 8 || id.length > 128)
    throw new ValidationError('commandId', 'commandId must be a string of 8–128 characters');
  return id;
}
