import type { Role } from '../../app/session';

/** The lab pages are for 检测机构 accounts (sample.record, result.record). Only for showing; the API decides. */
export const worksInLab = (role: Role | undefined) => role === 'lab';
