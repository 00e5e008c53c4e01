import type { Identity } from '../../app/session';

/** The 6-digit GB/T 2260 code the task routes take, from an account's region prefix ('46' → 460000; national → ''). */
export function sixDigitRegion(prefix: string): string {
  return prefix ? prefix.slice(0, 6).padEnd(6, '0') : '';
}

/** What a publish form starts with: the signed-in administration's own region. */
export const ownRegion = (who: Identity | null) => sixDigitRegion(who?.regionCode ?? '');

/** Today (CST calendar date) plus n days, as YYYY-MM-DD for a date input. */
export function cstDatePlus(days: number, now = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}
