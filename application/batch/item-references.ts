import { BusinessRuleError, ValidationError } from '../../domain/shared/errors';

/**
 * A later item of a batch can use what an earlier one produced — the trace code a createLot minted, the
 * transferId a ship opened — which the client cannot know when it builds the batch. Anywhere in a payload,
 * `{"$ref": "<commandId>/<field>"}` stands for that field of the result of the earlier item with that
 * commandId (split at the last "/", so commandIds may contain slashes).
 */
export interface ReferencedResult {
  /** Index of the earlier item. */
  item: number;
  /** Its result, or the error it failed with. */
  outcome: { ok: true; result: object } | { ok: false };
}

/** An item that uses the result of an item that failed cannot run either; 409 like any unmet precondition. */
export class DependencyFailedError extends BusinessRuleError {
  constructor(field: string, commandId: string) {
    super('DEPENDENCY_FAILED', `${field}: item ${commandId} it refers to failed`, { field, dependsOn: commandId });
  }
}

export interface ResolvedPayload {
  payload: unknown;
  /** Items whose results were used. */
  dependsOn: number[];
}

export function resolveReferences(
  payload: unknown,
  lookup: (commandId: string) => ReferencedResult | undefined,
  path = 'payload',
): ResolvedPayload {
  const dependsOn: number[] = [];
  const walk = (value: unknown, at: string): unknown => {
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${at}.${i}`));
    if (value === null || typeof value !== 'object') return value;
    const obj = value as Record<string, unknown>;
    if ('$ref' in obj) return resolve(obj, at);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) out[k] = walk(v, `${at}.${k}`);
    return out;
  };
  const resolve = (obj: Record<string, unknown>, at: string): unknown => {
    const ref = obj.$ref;
    const slash = typeof ref === 'string' ? ref.lastIndexOf('/') : -1;
    if (Object.keys(obj).length !== 1 || typeof ref !== 'string' || slash <= 0 || slash === ref.length - 1)
      throw new ValidationError(at, `${at}: a reference is {"$ref": "<commandId>/<field>"}`);
    const commandId = ref.slice(0, slash);
    const field = ref.slice(slash + 1);
    const earlier = lookup(commandId);
    if (!earlier) throw new ValidationError(at, `${at}: no earlier item of this batch has commandId ${commandId}`);
    dependsOn.push(earlier.item);
    if (!earlier.outcome.ok) throw new DependencyFailedError(at, commandId);
    const result = earlier.outcome.result as Record<string, unknown>;
    if (!(field in result)) throw new ValidationError(at, `${at}: the result of ${commandId} has no field ${field}`, { available: Object.keys(result) });
    return result[field];
  };
  return { payload: walk(payload, path), dependsOn };
}
