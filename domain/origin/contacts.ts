import type { DecisionContext } from '../shared/actor';
import { ValidationError } from '../shared/errors';
import { isChinesePhone } from '../shared/validate';
import type { Decider } from '../shared/decider';
import type { OriginContactCommand } from './commands';
import type { OriginContact, OriginContactEvent, OriginContactsUpdated } from './events';
import { canonicalJson, normalizeMobile } from './fields';

/**
 * 重点农产品产地溯源信息采集工作联系方式 (seed 003 附件2): each level (province, city, county, township) names its
 * lead unit, the person in charge and the officer who does the work, and reports them upwards. One small stream per
 * region, `origincontacts-{regionCode}`; each change is an event with the whole list after it.
 */
export interface OriginContactsState {
  regionCode: string;
  contacts: OriginContact[];
}

export const originContactsStreamId = (regionCode: string): string => `origincontacts-${regionCode === '' ? 'national' : regionCode}`;

export function levelOfRegion(code: string): OriginContactsUpdated['data']['level'] {
  if (code === '') return 'ministry';
  if (code.length === 2) return 'province';
  if (code.length === 4) return 'city';
  if (code.length === 6) return 'county';
  if (code.length === 9) return 'township';
  throw new ValidationError('regionCode', 'regionCode must be empty (ministry) or a 2-, 4-, 6- or 9-digit region prefix', { value: code });
}

const text = (v: unknown, field: string, max = 100): string => {
  if (typeof v !== 'string' || v.trim() === '') throw new ValidationError(field, `${field} is required`);
  if (v.length > max) throw new ValidationError(field, `${field} is longer than ${max} characters`);
  return v.trim();
};
const opt = (v: unknown, field: string, max = 100): string | null => (v === undefined || v === null || v === '' ? null : text(v, field, max));
const landline = (v: unknown, field: string): string | null => {
  const s = opt(v, field, 30);
  if (s !== null && !isChinesePhone(s)) throw new ValidationError(field, `${field} must be a phone number with area code`, { value: s });
  return s;
};
const optMobile = (v: unknown, field: string): string | null => (v === undefined || v === null || v === '' ? null : normalizeMobile(v, field));

export function validateContact(c: OriginContact, i: number): OriginContact {
  const f = `contacts[${i}]`;
  const email = opt(c?.officerEmail, `${f}.officerEmail`, 200);
  if (email !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new ValidationError(`${f}.officerEmail`, `${f}.officerEmail is not an e-mail address`, { value: email });
  return {
    leadUnit: text(c?.leadUnit, `${f}.leadUnit`, 200),
    leadName: text(c?.leadName, `${f}.leadName`, 50),
    leadTitle: opt(c?.leadTitle, `${f}.leadTitle`, 50),
    leadLandline: landline(c?.leadLandline, `${f}.leadLandline`),
    leadMobile: optMobile(c?.leadMobile, `${f}.leadMobile`),
    officerName: text(c?.officerName, `${f}.officerName`, 50),
    officerLandline: landline(c?.officerLandline, `${f}.officerLandline`),
    officerMobile: normalizeMobile(c?.officerMobile, `${f}.officerMobile`),
    officerEmail: email,
    note: opt(c?.note, `${f}.note`, 500),
  };
}

export function decideContacts(command: OriginContactCommand, state: OriginContactsState, ctx: DecisionContext): OriginContactEvent[] {
  const { regionCode } = command.data;
  const level = levelOfRegion(typeof regionCode === 'string' ? regionCode : 'x');
  if (!Array.isArray(command.data.contacts)) throw new ValidationError('contacts', 'contacts must be a list');
  if (command.data.contacts.length > 50) throw new ValidationError('contacts', 'at most 50 contacts per region');
  const contacts = command.data.contacts.map(validateContact);
  if (canonicalJson(contacts) === canonicalJson(state.contacts)) return [];
  const a = ctx.actor;
  return [{ type: 'OriginContactsUpdated', data: { regionCode, level, contacts, updatedBy: { userId: a.userId, orgId: a.orgId, role: a.role, regionCode: a.regionCode ?? '' }, updatedAt: ctx.now.toISOString() } }];
}

export const contactsDecider: Decider<OriginContactCommand, OriginContactEvent, OriginContactsState, DecisionContext> = {
  decide: decideContacts,
  evolve: (_state, event) => ({ regionCode: event.data.regionCode, contacts: event.data.contacts }),
  initialState: () => ({ regionCode: '', contacts: [] }),
};
