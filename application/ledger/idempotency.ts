import { createHash, createHmac } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { Actor } from '../../domain/shared/actor';
import { DomainError } from '../../domain/shared/errors';
import type { LedgerCommand } from '../shared/command-base';
import type { CommandMeta } from './ledger';

/**
 * Idempotency keys as Stripe has them (decision 0010): a caller's key is scoped to that caller and the
 * command type, and remembered with a fingerprint of the request, so a retry gets the first answer while
 * another caller, another command or another body with the same key never does.
 *
 * Stored command ids live in two namespaces no input can cross:
 *   client:<sha256 of [caller, command type, key]>   every key a request brings (header or body field)
 *   system:<name>                                      the platform's own commands (reactions, jobs)
 * A client key is always hashed, so no request can name a `system:` id, nor another caller's `client:` id.
 */

/** The key as the request brought it, before it is scoped (see scopeCommand). */
export interface ClientKey {
  key: string;
  /** Where it came from, named in a refusal: `Idempotency-Key`, `commandId`, `commands[2].commandId`. */
  field: string;
}

/** What runCommand needs to tell a retry from a reuse: the request's fingerprint and the key's field. */
export interface RequestFingerprint {
  fingerprint: string;
  keyField: string;
}

/** The same key was used before for another request (another body, path or command type): 422. */
export class IdempotencyKeyReusedError extends DomainError {
  constructor(field: string, reason: 'other-request' | 'other-command') {
    super(
      'IDEMPOTENCY_KEY_REUSED',
      `${field}: this idempotency key was already used for ${reason === 'other-request' ? 'a different request' : 'a different command'}; send a new key`,
      { field, reason },
    );
  }
}

/** The platform's own command ids: out of reach of any request (which can only produce `client:` ids). */
export function systemCommandId(name: string): string {
  return `system:${name}`;
}

/**
 * Who a key belongs to. Signed-in callers: their user id. Anonymous callers (registration applicants,
 * logins) share one principal, `anonymous`: their replay is still bound to the full request by the
 * fingerprint, so only someone who sends the very same body gets the (id-only) first answer back.
 */
function principalOf(actor: Actor): string {
  return actor.userId;
}

/** The stored id of a caller's key: a hash, so the raw key never reaches the ledger either. */
export function clientCommandId(actor: Actor, commandType: string, key: string): string {
  return `client:${createHash('sha256').update(JSON.stringify([principalOf(actor), commandType, key]), 'utf8').digest('hex')}`;
}

/**
 * The key of request fingerprints, derived from an installation secret (domain-separated, so the
 * fingerprints say nothing about that secret). An HMAC, not a bare hash: bodies carry passwords.
 */
export function fingerprintKey(installationSecret: string): Buffer {
  return createHmac('sha256', installationSecret).update('suyuan/idempotency-fingerprint/v1', 'utf8').digest();
}

/** HMAC of the canonical command (type and input, path parameters included; absent = undefined). */
export function requestFingerprint(key: Buffer, commandType: string, input: unknown): string {
  const plain = JSON.parse(JSON.stringify({ type: commandType, input: input ?? null })) as object;
  // canonicalJson writes the bytes json-canonicalize did (tests/property/canonical-json.spec.ts): stored
  // fingerprints keep matching.
  return createHmac('sha256', key).update(canonicalJson(plain), 'utf8').digest('hex');
}

/**
 * A command's meta once its client key is scoped: the derived commandId and the fingerprint. A meta
 * without a client key is returned as it is (a fresh id, or a system id).
 */
export function scopeMeta(meta: CommandMeta, commandType: string, input: unknown, key: Buffer): CommandMeta {
  const { clientKey, ...rest } = meta;
  if (!clientKey) return meta;
  return {
    ...rest,
    commandId: clientCommandId(meta.actor, commandType, clientKey.key),
    request: { fingerprint: requestFingerprint(key, commandType, input), keyField: clientKey.field },
  };
}

/** The command type a key is scoped to: the command's class, by which the command bus dispatches it too. */
export function commandTypeOf(command: object): string {
  const name = command.constructor.name;
  if (!name || name === 'Object') throw new Error('idempotency: a command must be an instance of a named command class');
  return name;
}

/** The same command with its client key scoped (a new instance; commands are values). */
export function scopeCommand<C extends LedgerCommand<unknown>>(command: C, key: Buffer): C {
  if (!command.meta.clientKey) return command;
  const type = commandTypeOf(command);
  const Command = command.constructor as new (input: unknown, meta: CommandMeta) => C;
  return new Command(command.input, scopeMeta(command.meta, type, command.input, key));
}
