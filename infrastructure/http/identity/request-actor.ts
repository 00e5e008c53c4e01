import type { Request } from 'express';
import type { ClientKey } from '../../../application/ledger/idempotency';
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

/**
 * The request's idempotency key: the `Idempotency-Key` header, else `commandId` in the body; undefined when
 * it brings none. Only the raw key: it is scoped to the caller and the command type before use (decision 0010).
 */
export function requestClientKey(req: Request): ClientKey | undefined {
  const fromHeader = req.header('idempotency-key');
  const fromBody = req.body && typeof req.body === 'object' ? (req.body as { commandId?: unknown }).commandId : undefined;
  const field = fromHeader !== undefined ? 'Idempotency-Key' : 'commandId';
  const key = fromHeader ?? fromBody;
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || key.length < 8 || key.length > 128)
    throw new ValidationError(field, `${field} must be a string of 8–128 characters`);
  return { key, field };
}
