import type { LoggedEvent } from './fold';

/** Builders of the events the statistics count, with only the fields the projection reads filled in with care. */
export const at = (iso: string) => iso;

export function applied(entityId: string, regionCode: string, occurredAt: string, reviewDeadline: string, entityType = 'cooperative'): LoggedEvent {
  return { type: 'RegistrationApplied', occurredAt, data: { entityId, name: entityId, entityType, regionCode, address: 'x', legalRepresentative: 'x', contactPhone: 'x', bases: [], products: [], appliedAt: occurredAt, reviewDeadline } };
}
export function approved(entityId: string, occurredAt: string): LoggedEvent {
  return { type: 'RegistrationApproved', occurredAt, data: { entityId, eid: 'E', approvedAt: occurredAt, reviewerId: 'u' } };
}
export function rejected(entityId: string, occurredAt: string): LoggedEvent {
  return { type: 'RegistrationRejected', occurredAt, data: { entityId, reason: 'r', rejectedAt: occurredAt, reviewerId: 'u' } };
}
/** An e-ID whose first six digits are the holder's county (regionOfEid). */
export const eidOf = (county: string, entity: string) => `${county}${entity.padEnd(5, 'X').slice(0, 5)}0000`;

export function lotCreated(traceCode: string, entityId: string, county: string, product: string, quantity: { amount: number; unit: string }, occurredAt: string, parent?: { traceCode: string; transferId: string }, baseRegion = county): LoggedEvent {
  return {
    type: 'LotCreated',
    occurredAt,
    data: {
      traceCode, entityId, eid: eidOf(county, entityId), entityName: entityId, product, quantity, productionDate: occurredAt.slice(0, 10),
      base: { baseId: 'b', name: 'b', regionCode: baseRegion, lat: 0, lon: 0 },
      origin: parent ? { kind: 'transfer', parentTraceCode: parent.traceCode, transferId: parent.transferId } : { kind: 'produced' },
      createdAt: occurredAt,
    },
  };
}
export function shipped(transferId: string, fromTraceCode: string, fromEntityId: string, fromCounty: string, product: string, quantity: { amount: number; unit: string }, to: { entityId: string; county: string }, occurredAt: string): LoggedEvent {
  return { type: 'TransferInitiated', occurredAt, data: { transferId, fromTraceCode, fromEntityId, fromEid: eidOf(fromCounty, fromEntityId), product, quantity, to: { kind: 'registered', entityId: to.entityId, eid: eidOf(to.county, to.entityId), name: to.entityId }, initiatedAt: occurredAt } };
}
export function confirmed(transferId: string, fromTraceCode: string, childTraceCode: string, product: string, quantity: { amount: number; unit: string }, to: { entityId: string; county: string }, occurredAt: string): LoggedEvent {
  return { type: 'TransferConfirmed', occurredAt, data: { transferId, fromTraceCode, childTraceCode, product, quantity, fromEntityId: 'f', to: { kind: 'registered', entityId: to.entityId, eid: eidOf(to.county, to.entityId), name: to.entityId }, confirmedAt: occurredAt, confirmedBy: 'u' } };
}
export function transferRejected(transferId: string, fromTraceCode: string, quantity: { amount: number; unit: string }, occurredAt: string): LoggedEvent {
  return { type: 'TransferRejected', occurredAt, data: { transferId, fromTraceCode, quantity, fromEntityId: 'f', to: { kind: 'registered', entityId: 't', eid: 'e', name: 't' }, reason: 'r', rejectedAt: occurredAt, rejectedBy: 'u' } };
}
export function certified(traceCode: string, marketRegion: string, quantity: { amount: number; unit: string }, occurredAt: string, certificateNo = `C-${traceCode}-${occurredAt}`): LoggedEvent {
  return { type: 'MarketEntryCertified', occurredAt, data: { traceCode, certificateNo, market: { name: 'm', kind: 'wholesale', regionCode: marketRegion }, quantity, requested: quantity, qrPayload: 'q', certifiedAt: occurredAt, balance: {} } };
}
export function sampleTaken(sampleId: string, county: string, product: string, occurredAt: string, taskKind = 'routine'): LoggedEvent {
  return { type: 'SampleTaken', occurredAt, data: { sampleId, taskId: 't', taskKind, product, subject: { entityId: null, eid: null, entityName: 'x', regionCode: county }, traceCode: null, takenAt: occurredAt } };
}
export function resultRecorded(sampleId: string, county: string, product: string, analytes: [string, 'pass' | 'fail' | 'inconclusive'][], occurredAt: string, round: 'initial' | 'retest' = 'initial'): LoggedEvent {
  const verdict = analytes.some(([, v]) => v === 'fail') ? 'fail' : analytes.some(([, v]) => v === 'inconclusive') ? 'inconclusive' : 'pass';
  return {
    type: 'ResultRecorded',
    occurredAt,
    data: { sampleId, taskId: 't', round, product, subject: { entityId: null, eid: null, entityName: 'x', regionCode: county }, traceCode: null, outcomes: analytes.map(([code, v]) => ({ code, name: code, verdict: v })), verdict, failed: analytes.filter(([, v]) => v === 'fail').map(([c]) => c), testedAt: occurredAt, recordedAt: occurredAt },
  };
}
export function warningRaised(warningId: string, county: string, product: string | null, level: string, occurredAt: string): LoggedEvent {
  return { type: 'WarningRaised', occurredAt, data: { warningId, rule: { level, indicator: 'failedResult' }, subject: { kind: 'lot', regionCode: county, traceCode: null, entityId: null, entityName: null, product, transferId: null, sampleId: null }, reason: 'r', cause: {}, hold: false, evidence: {}, raisedAt: occurredAt } };
}
export function warningAcknowledged(warningId: string, occurredAt: string): LoggedEvent {
  return { type: 'WarningAcknowledged', occurredAt, data: { warningId, subject: {}, note: null, acknowledgedAt: occurredAt, acknowledgedBy: 'u' } };
}
export function warningClosed(warningId: string, occurredAt: string): LoggedEvent {
  return { type: 'WarningClosed', occurredAt, data: { warningId, subject: {}, hold: false, reason: 'r', resolution: 'handled', closedAt: occurredAt, closedBy: 'u' } };
}
