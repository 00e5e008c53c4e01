import { NotFoundError, ValidationError } from '../../domain/shared/errors';
import type { ReadModels } from '../ports/read-models';
import { checkTraceCode } from './load-lot';

/** 入市追溯凭证号 as issue-market-entry.ts writes it: RS, the issue date (UTC, YYYYMMDD), eight Crockford base32. */
const CERTIFICATE_NO = /^RS\d{8}[0-9A-HJKMNP-TV-Z]{8}$/;

export interface VerifiedCertificate {
  certificateNo: string;
  traceCode: string;
  product: string | null;
  market: { name: string; kind: string };
  quantity: { amount: number; unit: string };
  issuedAt: string;
}

/**
 * 凭证核验 for the consumer page (the QR on a certificate opens `/t/{code}?cert={no}`): a certificate is
 * genuine only if the lot it names has it. A number of the wrong shape is refused before any lookup (400);
 * a well-formed number the lot never got — a fake, or one copied from another lot — is 404, and the answer
 * says nothing about other lots.
 */
export async function verifyCertificate(models: ReadModels, traceCodeInput: string, certificateNoInput: string, secret: string): Promise<VerifiedCertificate> {
  const traceCode = checkTraceCode(traceCodeInput, secret, 'traceCode');
  const certificateNo = certificateNoInput.trim().toUpperCase();
  if (!CERTIFICATE_NO.test(certificateNo)) throw new ValidationError('certificateNo', 'certificateNo: not a market-entry certificate number (RS + date + 8 characters)', { reason: 'format' });
  const lot = await models.get('lots', traceCode);
  const found = ((lot?.certificates as (VerifiedCertificate & { qrPayload?: string })[] | undefined) ?? []).find((c) => c.certificateNo === certificateNo);
  if (!lot || !found) throw new NotFoundError('certificate', certificateNo);
  return { certificateNo, traceCode, product: (lot.product as string) ?? null, market: { name: found.market.name, kind: found.market.kind }, quantity: found.quantity, issuedAt: found.issuedAt };
}
