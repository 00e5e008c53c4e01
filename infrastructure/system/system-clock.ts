import { randomInt } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Clock, IdGenerator } from '../../application/ports/clock';

export const systemClock: Clock = { now: () => new Date() };

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Cryptographic randomness: e-ID and trace-code segments must not be guessable in sequence. */
export const systemIds: IdGenerator = {
  uuid: () => uuidv7(),
  randomBase32: (n) => Array.from({ length: n }, () => CROCKFORD[randomInt(32)]).join(''),
};
