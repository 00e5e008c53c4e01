import { z } from 'zod';
import { documentBody } from '../openapi/request-schemas';
import { NonEmpty } from '../shared-schemas';

export const AccountIdParam = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an account id');
const commandId = z.string().min(8).max(128).optional();
export const DisableAccountBody = documentBody('post', '/api/v1/accounts/{accountId}/disable', z.object({ commandId, reason: NonEmpty(500) }).strict());
/** enable, unlock and reset-password take no fields but the optional idempotency key (or no body at all). */
export const NoFieldsBody = z.object({ commandId }).strict();
