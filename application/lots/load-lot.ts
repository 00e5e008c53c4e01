import { decider, lotStreamId, parseTraceCode, type LotState } from '../../domain/lots';
import { NotFoundError, ValidationError } from '../../domain/shared/errors';
import type { Ledger, LoadedStream } from '../ledger/ledger';

/**
 * Checks a trace code offline first (format + keyed check segment): a forged or mistyped code is
 * rejected as bad input without touching the ledger. Only a well-signed code is looked up.
 */
export function checkTraceCode(input: string, secret: string, field: string): string {
  const parsed = parseTraceCode(input, secret);
  if (!parsed.ok)
    throw new ValidationError(
      field,
      parsed.reason === 'checksum' ? `${field}: check segment does not match (forged or mistyped code)` : `${field}: not a trace code`,
      { reason: parsed.reason },
    );
  return parsed.code;
}

export async function loadLot(ledger: Ledger, traceCode: string, secret: string, field = 'traceCode'): Promise<LoadedStream<LotState>> {
  const code = checkTraceCode(traceCode, secret, field);
  const stream = await ledger.load(lotStreamId(code), decider);
  if (stream.state.status === 'none') throw new NotFoundError('lot', code);
  return stream;
}
