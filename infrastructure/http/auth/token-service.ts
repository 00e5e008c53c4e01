import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { AccountView } from '../../../application/accounts/accounts';
import type { Actor, Role } from '../../../domain/shared/actor';

export class InvalidTokenError extends Error {
  constructor(readonly reason: 'expired' | 'invalid') {
    super(reason === 'expired' ? 'token expired' : 'invalid token');
  }
}

interface Claims {
  sub: string;
  role: Role;
  org: string;
  region: string;
  name: string;
  /** Token version at issue: the guard refuses it once the account's version moved on (disable, new password). */
  ver?: number;
  /** The account must change its password: only /auth/password and /auth/me accept this token. */
  mcp?: boolean;
}

/** What the guard needs of a verified token. Tokens from before versions existed count as version 0. */
export interface VerifiedToken {
  actor: Actor;
  tokenVersion: number;
  mustChangePassword: boolean;
}

/** Short-lived HS256 bearer tokens (jsonwebtoken); the claims are the actor the guard hands to commands. */
export class TokenService {
  /**
   * The secret as a KeyObject, made once. Given a string, jsonwebtoken first tries to parse it as a public
   * key on every sign and verify, and that failing attempt (an OpenSSL error) cost ~0.3 ms per request.
   */
  private readonly key: KeyObject;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    private readonly now: () => Date,
  ) {
    this.key = createSecretKey(Buffer.from(secret));
  }

  issue(account: AccountView, tokenVersion = 0): { token: string; expiresAt: string } {
    const iat = Math.floor(this.now().getTime() / 1000);
    const claims: Claims & { iat: number; exp: number } = {
      sub: account.accountId,
      role: account.role,
      org: account.orgId,
      region: account.regionCode,
      name: account.displayName,
      ver: tokenVersion,
      ...(account.mustChangePassword ? { mcp: true } : {}),
      iat,
      exp: iat + this.ttlSeconds,
    };
    return { token: jwt.sign(claims, this.key, { algorithm: 'HS256', issuer: 'suyuan' }), expiresAt: new Date(claims.exp * 1000).toISOString() };
  }

  verify(token: string): Actor {
    return this.verifyToken(token).actor;
  }

  verifyToken(token: string): VerifiedToken {
    let c: Claims;
    try {
      c = jwt.verify(token, this.key, { algorithms: ['HS256'], issuer: 'suyuan', clockTimestamp: Math.floor(this.now().getTime() / 1000) }) as Claims;
    } catch (err) {
      throw new InvalidTokenError(err instanceof jwt.TokenExpiredError ? 'expired' : 'invalid');
    }
    return { actor: { userId: c.sub, orgId: c.org, role: c.role, regionCode: c.region }, tokenVersion: typeof c.ver === 'number' ? c.ver : 0, mustChangePassword: c.mcp === true };
  }
}
export const TOKEN_SERVICE = Symbol('TokenService');
