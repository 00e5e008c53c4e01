/** Time and identity come from outside the domain; tests inject controllable ones. */
export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** UUID v7 (time-ordered) for event ids and new aggregate ids. */
  uuid(): string;
  /** n random Crockford base32 characters (e-ID / trace-code segments). */
  randomBase32(n: number): string;
}

export const CLOCK = Symbol('Clock');
export const ID_GENERATOR = Symbol('IdGenerator');
