import { hash, verify } from '@node-rs/argon2';
import type { PasswordHasher } from '../../application/ports/password-hasher';

/** argon2id with the library's defaults (OWASP: m=19 MiB, t=2, p=1) via @node-rs/argon2 (prebuilt N-API, no node-gyp). */
export const argon2Hasher: PasswordHasher = {
  hash: (password) => hash(password),
  verify: async (stored, password) => {
    try {
      return await verify(stored, password);
    } catch {
      return false;
    }
  },
};
