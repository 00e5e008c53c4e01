import { BusinessRuleError } from '../shared/errors';

/**
 * The region-scope primitives under the access policy (application/access/): a GB/T 2260 prefix covers the
 * codes that start with it ('' the whole country). Who may see or do what is the policy's to decide;
 * controllers and handlers ask it and do not call these.
 */
export function covers(scope: string, code: string | null | undefined): boolean {
  if (scope === '') return true;
  return typeof code === 'string' && code.startsWith(scope);
}

/** The refusal for a record or request outside the caller's region (HTTP 403). */
export class OutOfScopeError extends BusinessRuleError {
  constructor(regionCode: string | null | undefined, scope: string) {
    super('OUT_OF_SCOPE', `outside your region (${scope || 'national'})`, { regionCode: regionCode ?? null, scope });
  }
}
