import { ValidationError } from '../shared/errors';

/**
 * Password rules for GB/T 22239 level 2 ("口令复杂度"): at least 10 characters, three of the four classes
 * (lower, upper, digit, symbol), not containing the username.
 */
export function assertPasswordAcceptable(password: string, username: string, field = 'password'): void {
  if (typeof password !== 'string' || password.length < 10) throw new ValidationError(field, `${field} must have at least 10 characters`);
  if (password.length > 128) throw new ValidationError(field, `${field} must have at most 128 characters`);
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) throw new ValidationError(field, `${field} needs three of: lower case, upper case, digits, symbols`);
  if (username && password.toLowerCase().includes(username.toLowerCase())) throw new ValidationError(field, `${field} must not contain the username`);
}
