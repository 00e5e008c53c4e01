import { deterministicId } from '../quality/deterministic-id';

/** The hold a failed sample puts on a lot (the sampled one or one downstream). */
export function holdWarningId(sampleId: string, traceCode: string): string {
  return deterministicId('H', 'sample', sampleId, traceCode);
}

/** The warning of a failed hand-entered sample (no lot to hold). */
export function sampleWarningId(sampleId: string): string {
  return deterministicId('S', 'sample', sampleId);
}

/** An inherited hold: the same root warning reaching a lot further downstream. */
export function inheritedHoldId(rootWarningId: string, traceCode: string): string {
  return deterministicId('H', 'inherit', rootWarningId, traceCode);
}

export function repeatedFailuresWarningId(entityId: string, sampleId: string): string {
  return deterministicId('R', 'repeated', entityId, sampleId);
}

export function overShipmentWarningId(entityId: string, firstAttemptId: string): string {
  return deterministicId('O', 'over-shipment', entityId, firstAttemptId);
}

export function registrationOverdueWarningId(entityId: string): string {
  return deterministicId('D', 'registration-overdue', entityId);
}

export function transferUnconfirmedWarningId(transferId: string): string {
  return deterministicId('T', 'transfer-unconfirmed', transferId);
}
