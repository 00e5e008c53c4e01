import jwt from 'jsonwebtoken';
import { InvalidTokenError, TokenService } from '../../../../infrastructure/http/auth/token-service';

const SECRET = 'token-test-secret-0123456789';
const account = { accountId: 'acc-1', username: 'u1', displayName: '张三', role: 'producer' as const, regionCode: '469027', orgId: 'ent-1', mustChangePassword: false };
const reasonOf = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return err instanceof InvalidTokenError ? err.reason : `unexpected ${String(err)}`;
  }
  return 'accepted';
};

describe('TokenService', () => {
  const now = new Date('2026-11-30T08:00:00Z');
  const tokens = new TokenService(SECRET, 3600, () => now);

  it('verifies what it issues: the claims are the actor', () => {
    expect(tokens.verify(tokens.issue(account).token)).toEqual({ userId: 'acc-1', orgId: 'ent-1', role: 'producer', regionCode: '469027' });
  });

  it('accepts a token signed with the secret as a plain string (issued before the key object)', () => {
    const iat = Math.floor(now.getTime() / 1000);
    const legacy = jwt.sign({ sub: 'acc-1', role: 'producer', org: 'ent-1', region: '469027', name: 'x', iat, exp: iat + 60 }, SECRET, { algorithm: 'HS256', issuer: 'suyuan' });
    expect(tokens.verify(legacy).userId).toBe('acc-1');
  });

  it('refuses other secrets, other issuers, unsigned tokens and expired ones', () => {
    const other = new TokenService('another-secret-0123456789', 3600, () => now);
    expect(reasonOf(() => tokens.verify(other.issue(account).token))).toBe('invalid');
    const iat = Math.floor(now.getTime() / 1000);
    const claims = { sub: 'acc-1', role: 'ministry-admin', org: 'x', region: '', name: 'x', iat, exp: iat + 60 };
    expect(reasonOf(() => tokens.verify(jwt.sign(claims, SECRET, { algorithm: 'HS256', issuer: 'elsewhere' })))).toBe('invalid');
    expect(reasonOf(() => tokens.verify(jwt.sign(claims, SECRET, { algorithm: 'HS512', issuer: 'suyuan' })))).toBe('invalid');
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims, iss: 'suyuan' })).toString('base64url')}.`;
    expect(reasonOf(() => tokens.verify(unsigned))).toBe('invalid');
    const later = new TokenService(SECRET, 3600, () => new Date(now.getTime() + 3601_000));
    expect(reasonOf(() => later.verify(tokens.issue(account).token))).toBe('expired');
  });
});
