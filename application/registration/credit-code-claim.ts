import { BusinessRuleError } from '../../domain/shared/errors';
import type { Ledger, StreamWrite } from '../ledger/ledger';
import { claim, claimStreamId, type UniqueValueClaimed } from '../ledger/unique-claim';

/**
 * One enterprise, one e-ID: the unified social credit code (统一社会信用代码, GB 32100-2015; its format and check
 * character are validated by the registration decider) is claimed in the ledger when a registration is
 * approved, in the same atomic append as the approval and the e-ID claim. Claimed at approval, not at
 * application: an application is not verified yet, and a claim can never be released, so claiming on
 * application would let anyone block an enterprise by applying with its code.
 */
const KIND = 'creditcode';

export async function creditCodeOwner(ledger: Ledger, creditCode: string): Promise<string | null> {
  const [claimed] = await ledger.store.readStream(claimStreamId(KIND, creditCode), { maxCount: 1 });
  return claimed ? (claimed as unknown as UniqueValueClaimed).data.ownerId : null;
}

/** 409 CREDIT_CODE_TAKEN when another entity holds the code (a race is caught by the claim's append). */
export async function assertCreditCodeFree(ledger: Ledger, creditCode: string, entityId: string | null): Promise<void> {
  const owner = await creditCodeOwner(ledger, creditCode);
  if (owner !== null && owner !== entityId)
    throw new BusinessRuleError('CREDIT_CODE_TAKEN', `unified social credit code ${creditCode} is already registered to another entity`, { field: 'creditCode', entityId: owner });
}

export function creditCodeClaim(ledger: Ledger, creditCode: string, entityStreamId: string, entityId: string): StreamWrite {
  return { stream: ledger.fresh(claimStreamId(KIND, creditCode)), events: [claim(KIND, creditCode, entityStreamId, entityId)] };
}
