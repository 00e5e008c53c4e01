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
    // A county places its village collectors (信息采集员, inspector accounts) in one of its townships (seed 003 §五(三)).
    const townshipOfCounty = creator.role === 'county-admin' && target.role === 'inspector' && /^\d{9}$/.test(target.regionCode);
    if (target.regionCode !== creator.regionCode && creator.role !== 'ministry-admin' && !townshipOfCounty)
      throw new ValidationError('regionCode', 'staff accounts belong to the creating admin’s own region');
    return;
  }
  throw new BusinessRuleError('NOT_ALLOWED', `${target.role} accounts are not created by hand (producers get theirs on approval)`);
}

/**
 * Who may disable, enable, unlock or reset an account: for admins, any admin level above theirs; for staff,
 * any admin; for producers, the supervising admins (county and above, who approve registrations). Never oneself (use /auth/password).
 * Role rules only: whether the target is inside the admin's region is the access policy's question.
 */
export function mayAdminister(admin: { role: Role; userId: string }, target: { role: Role; accountId: string }): void {
  if (admin.role === 'system') return;
  const level = ADMIN_LEVELS.indexOf(admin.role);
  if (level < 0) throw new BusinessRuleError('NOT_ALLOWED', `a ${admin.role} does not administer accounts`);
  if (admin.userId === target.accountId) throw new BusinessRuleError('NOT_ALLOWED', 'not your own account: ask the admin above you');
  const targetLevel = ADMIN_LEVELS.indexOf(target.role);
  if (targetLevel >= 0) {
    if (targetLevel <= level) throw new BusinessRuleError('NOT_ALLOWED', `a ${admin.role} administers only the admins below it, not a ${target.role}`);
    return;
  }
  if (STAFF.includes(target.role)) return;
  if (target.role === 'producer') {
    if (level > ADMIN_LEVELS.indexOf('county-admin')) throw new BusinessRuleError('NOT_ALLOWED', 'producer accounts are administered by the county (which approved them) and above');
    return;
  }
  throw new BusinessRuleError('NOT_ALLOWED', `${target.role} accounts are not administered here`);
}
