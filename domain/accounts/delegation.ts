import type { Role } from '../shared/actor';
import { BusinessRuleError, ValidationError } from '../shared/errors';

/**
 * Delegated administration (seed 000 §用户管理): each level's admin creates the admins of the level below,
 * and the staff of its own level (supervisors, inspectors, labs, enforcement, auditors), inside its region.
 */
const ADMIN_LEVELS: Role[] = ['ministry-admin', 'province-admin', 'city-admin', 'county-admin', 'township-admin'];
const PREFIX_LENGTH: Partial<Record<Role, number>> = { 'ministry-admin': 0, 'province-admin': 2, 'city-admin': 4, 'county-admin': 6, 'township-admin': 9 };
const STAFF: Role[] = ['supervisor', 'inspector', 'lab', 'enforcement', 'auditor'];

export function mayCreate(creator: { role: Role; regionCode: string }, target: { role: Role; regionCode: string }): void {
  const level = ADMIN_LEVELS.indexOf(creator.role);
  if (creator.role === 'system') return;
  if (level < 0) throw new BusinessRuleError('NOT_ALLOWED', `a ${creator.role} cannot create accounts`);
  if (!target.regionCode.startsWith(creator.regionCode))
    throw new ValidationError('regionCode', `regionCode ${target.regionCode} is outside your region ${creator.regionCode || '(national)'}`);
  const targetLevel = ADMIN_LEVELS.indexOf(target.role);
  if (targetLevel >= 0) {
    if (targetLevel !== level + 1)
      throw new BusinessRuleError('NOT_ALLOWED', `a ${creator.role} creates ${ADMIN_LEVELS[level + 1] ?? 'no'} admins, not ${target.role}`);
    if (target.regionCode.length !== PREFIX_LENGTH[target.role])
      throw new ValidationError('regionCode', `a ${target.role} needs a ${PREFIX_LENGTH[target.role]}-digit region code`);
    return;
  }
  if (STAFF.includes(target.role)) {
    if (target.regionCode !== creator.regionCode && creator.role !== 'ministry-admin')
      throw new ValidationError('regionCode', 'staff accounts belong to the creating admin’s own region');
    return;
  }
  throw new BusinessRuleError('NOT_ALLOWED', `${target.role} accounts are not created by hand (producers get theirs on approval)`);
}
