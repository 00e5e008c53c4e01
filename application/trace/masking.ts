/**
 * Public (consumer) views mask personal data (seed 004, security level 2): households are private
 * persons, so their names, phone numbers and exact addresses are not shown; companies' are public.
 */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return '*';
  return chars[0] + '*'.repeat(Math.min(chars.length - 1, 3));
}

/**
 * A private person's base (地块) is usually named after them (李春花豇豆地): its name is masked like theirs,
 * first character kept. Enterprises' and co-operatives' bases keep their names (public business facts).
 */
export function maskBaseName(name: string): string {
  return maskName(name);
}

export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '****';
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** Coordinates of a private person's plot rounded to ~1 km; an enterprise base keeps its precision. */
export function coarseCoordinate(value: number): number {
  return Math.round(value * 100) / 100;
}

export function isPrivatePerson(entityType: string | undefined): boolean {
  return entityType === 'household';
}
