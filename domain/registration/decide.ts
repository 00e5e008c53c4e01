import type { DecisionContext } from '../shared/actor';
import { BusinessRuleError, InvalidStateError, ValidationError } from '../shared/errors';
import { assertNever } from '../shared/event';
import {
  isChinesePhone,
  requireLatLon,
  requireRegionCode,
  requireText,
  requireTextList,
} from '../shared/validate';
import { addWorkingDays, type HolidayCalendar } from '../shared/working-days';
import type { ApplyForRegistration, RegistrationCommand } from './commands';
import { isValidCreditCode } from './credit-code';
import { isValidEid, regionOfEid } from './eid';
import type { RegistrationEvent } from './events';
import type { RegistrationState } from './state';
import { lookupTownship } from './townships';
import { CHANGEABLE_FIELDS, ENTITY_TYPES, type Base, type RegistrationChanges } from './types';

export type RegistrationContext = DecisionContext & { calendar: HolidayCalendar };

/** County review must finish within this many working days of the application (seed 001, 第八条). */
export const REVIEW_WORKING_DAYS = 5;

export function decide(command: RegistrationCommand, state: RegistrationState, ctx: RegistrationContext): RegistrationEvent[] {
  const now = ctx.now.toISOString();
  switch (command.type) {
    case 'ApplyForRegistration': {
      if (state.status !== 'none') {
        throw new InvalidStateError(`entity ${state.entityId} has already applied`, { status: state.status });
      }
      const data = validateApplication(command.data);
      const reviewDeadline = addWorkingDays(ctx.now, REVIEW_WORKING_DAYS, ctx.calendar).toISOString();
      return [{ type: 'RegistrationApplied', data: { ...data, appliedAt: now, reviewDeadline } }];
    }
    case 'ApproveRegistration': {
      requireStatus(state, ['pending'], 'approve');
      const { eid } = command.data;
      if (!isValidEid(eid)) throw new ValidationError('eid', 'eid is not a well-formed e-ID', { eid });
      if (regionOfEid(eid) !== state.regionCode) {
        throw new ValidationError('eid', 'eid must be issued in the entity’s region', { eid, regionCode: state.regionCode });
      }
      return [{ type: 'RegistrationApproved', data: { entityId: state.entityId, eid, approvedAt: now, reviewerId: ctx.actor.userId } }];
    }
    case 'RejectRegistration': {
      requireStatus(state, ['pending'], 'reject');
      const reason = requireText(command.data.reason, 'reason', 2000);
      return [{ type: 'RegistrationRejected', data: { entityId: state.entityId, reason, rejectedAt: now, reviewerId: ctx.actor.userId } }];
    }
    case 'UpdateRegistration': {
      requireStatus(state, ['pending', 'approved'], 'update');
      const changes = validateChanges(command.data.changes);
      return [{ type: 'RegistrationUpdated', data: { entityId: state.entityId, changes, updatedAt: now } }];
    }
    case 'AddBase': {
      requireStatus(state, ['pending', 'approved'], 'add a base to');
      const base = validateBase(command.data.base, 'base');
      if (state.bases.some((b) => b.baseId === base.baseId)) {
        throw new BusinessRuleError('DUPLICATE_BASE_ID', `base ${base.baseId} already exists`, { baseId: base.baseId });
      }
      return [{ type: 'BaseAdded', data: { entityId: state.entityId, base, addedAt: now } }];
    }
    default:
      return assertNever(command);
  }
}

function requireStatus(state: RegistrationState, allowed: RegistrationState['status'][], verb: string): void {
  if (!allowed.includes(state.status)) {
    throw new InvalidStateError(`cannot ${verb} a registration that is ${state.status}`, { status: state.status, allowed });
  }
}

function validateApplication(d: ApplyForRegistration['data']): ApplyForRegistration['data'] {
  requireText(d.entityId, 'entityId', 100);
  requireText(d.name, 'name');
  if (!(ENTITY_TYPES as readonly string[]).includes(d.entityType)) {
    throw new ValidationError('entityType', `entityType must be one of ${ENTITY_TYPES.join(', ')}`, { value: d.entityType });
  }
  requireRegionCode(d.regionCode, 'regionCode');
  const townshipCode = optionalTownship(d.townshipCode, d.regionCode, 'townshipCode');
  requireText(d.address, 'address');
  requireText(d.legalRepresentative, 'legalRepresentative');
  requirePhone(d.contactPhone, 'contactPhone');
  if (d.creditCode !== undefined && d.creditCode !== null) {
    if (!isValidCreditCode(d.creditCode)) {
      throw new ValidationError('creditCode', 'creditCode must be an 18-character unified social credit code with a valid check character');
    }
  } else if (d.entityType !== 'household') {
    throw new ValidationError('creditCode', 'creditCode is required for every entity type except household');
  }
  if (!Array.isArray(d.bases) || d.bases.length === 0) throw new ValidationError('bases', 'at least one base is required');
  const bases = d.bases.map((b, i) => validateBase(b, `bases[${i}]`));
  const ids = new Set<string>();
  bases.forEach((b, i) => {
    if (ids.has(b.baseId)) throw new ValidationError(`bases[${i}].baseId`, `duplicate baseId ${b.baseId}`);
    ids.add(b.baseId);
  });
  const products = requireTextList(d.products, 'products');
  return {
    entityId: d.entityId,
    name: d.name,
    entityType: d.entityType,
    regionCode: d.regionCode,
    ...(townshipCode ? { townshipCode } : {}),
    address: d.address,
    legalRepresentative: d.legalRepresentative,
    contactPhone: d.contactPhone,
    ...(d.creditCode != null ? { creditCode: d.creditCode } : {}),
    bases,
    products: [...products],
  };
}

/**
 * An optional township code: nine digits, inside the declared county, and a township the division table
 * knows. Absent (or null) is fine: registrations name a township only when the applicant gives one.
 */
function optionalTownship(value: unknown, countyCode: string, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !/^\d{9}$/.test(value)) throw new ValidationError(field, `${field} must be a 9-digit township code`, { value });
  if (!value.startsWith(countyCode)) throw new ValidationError(field, `${field} must lie inside the county ${countyCode}`, { value, regionCode: countyCode });
  if (!lookupTownship(value)) throw new ValidationError(field, `${field} is not a known township of ${countyCode}`, { value });
  return value;
}

function requirePhone(value: unknown, field: string): void {
  requireText(value, field, 40);
  if (!isChinesePhone(value)) throw new ValidationError(field, `${field} must be a mainland mobile or landline number`, { value });
}

export function validateBase(b: Base, field: string): Base {
  if (typeof b !== 'object' || b === null) throw new ValidationError(field, `${field} is required`);
  requireText(b.baseId, `${field}.baseId`, 100);
  requireText(b.name, `${field}.name`);
  requireRegionCode(b.regionCode, `${field}.regionCode`);
  const townshipCode = optionalTownship(b.townshipCode, b.regionCode, `${field}.townshipCode`);
  requireText(b.address, `${field}.address`);
  requireLatLon(b.lat, b.lon, field);
  if (b.areaMu !== undefined && b.areaMu !== null && (typeof b.areaMu !== 'number' || !Number.isFinite(b.areaMu) || b.areaMu <= 0)) {
    throw new ValidationError(`${field}.areaMu`, `${field}.areaMu must be a positive number of mu`, { value: b.areaMu });
  }
  const products = requireTextList(b.products, `${field}.products`);
  return {
    baseId: b.baseId,
    name: b.name,
    regionCode: b.regionCode,
    ...(townshipCode ? { townshipCode } : {}),
    address: b.address,
    lat: b.lat,
    lon: b.lon,
    ...(b.areaMu != null ? { areaMu: b.areaMu } : {}),
    products: [...products],
  };
}

function validateChanges(changes: RegistrationChanges): RegistrationChanges {
  if (typeof changes !== 'object' || changes === null) throw new ValidationError('changes', 'changes are required');
  const unknown = Object.keys(changes).filter((k) => !(CHANGEABLE_FIELDS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new ValidationError(`changes.${unknown[0]}`, `${unknown[0]} cannot be changed here`, { allowed: CHANGEABLE_FIELDS });
  }
  const out: RegistrationChanges = {};
  if (changes.name !== undefined) out.name = requireText(changes.name, 'changes.name');
  if (changes.address !== undefined) out.address = requireText(changes.address, 'changes.address');
  if (changes.legalRepresentative !== undefined) {
    out.legalRepresentative = requireText(changes.legalRepresentative, 'changes.legalRepresentative');
  }
  if (changes.contactPhone !== undefined) {
    requirePhone(changes.contactPhone, 'changes.contactPhone');
    out.contactPhone = changes.contactPhone;
  }
  if (changes.products !== undefined) out.products = [...requireTextList(changes.products, 'changes.products')];
  if (Object.keys(out).length === 0) throw new ValidationError('changes', 'changes must contain at least one field');
  return out;
}
