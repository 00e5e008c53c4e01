import type { CredentialStore } from '../../../application/ports/credential-store';
import { uniqueName } from './contract-helpers';

/**
 * The CredentialStore contract, through the port only. Account ids carry a per-run prefix, so the suite can
 * run against a shared MongoDB; `dispose` closes (and may drop) the store after each test.
 */
export function credentialStoreContract(
  adapterName: string,
  makeStore: () => Promise<CredentialStore>,
  dispose: (store: CredentialStore) => Promise<void> = (s) => s.close(),
): void {
  describe(`CredentialStore contract: ${adapterName}`, () => {
    let store: CredentialStore;
    let id: string;
    const AT = '2026-03-10T02:00:00.000Z';
    const LATER = '2026-03-10T03:00:00.000Z';

    beforeEach(async () => {
      store = await makeStore();
      id = uniqueName('acc');
    });
    afterEach(async () => dispose(store));

    it('creates a row with token version 0 and reads it back; an unknown account is null', async () => {
      expect(await store.create({ accountId: id, passwordHash: '$argon2id$v=19$one', at: AT })).toBe(true);
      expect(await store.get(id)).toEqual({ accountId: id, passwordHash: '$argon2id$v=19$one', tokenVersion: 0, seededFromLedger: false, updatedAt: AT });
      expect(await store.get(`${id}-missing`)).toBeNull();
    });

    it('a second create for the same account changes nothing and says so', async () => {
      await store.create({ accountId: id, passwordHash: 'first', at: AT });
      expect(await store.create({ accountId: id, passwordHash: 'second', seededFromLedger: true, at: LATER })).toBe(false);
      expect(await store.get(id)).toMatchObject({ passwordHash: 'first', seededFromLedger: false, updatedAt: AT });
    });

    it('setPassword replaces the hash, clears the seeded mark and bumps the token version each time', async () => {
      await store.create({ accountId: id, passwordHash: 'legacy', seededFromLedger: true, at: AT });
      expect(await store.setPassword(id, 'new-1', LATER)).toBe(1);
      expect(await store.get(id)).toEqual({ accountId: id, passwordHash: 'new-1', tokenVersion: 1, seededFromLedger: false, updatedAt: LATER });
      expect(await store.setPassword(id, 'new-2', LATER)).toBe(2);
      expect((await store.get(id))!.passwordHash).toBe('new-2');
    });

    it('setPassword on an account without a row creates it at version 1', async () => {
      expect(await store.setPassword(id, 'fresh', AT)).toBe(1);
      expect(await store.get(id)).toMatchObject({ passwordHash: 'fresh', tokenVersion: 1, seededFromLedger: false });
    });

    it('revokeTokens bumps only the version; without a row it answers null and creates nothing', async () => {
      await store.create({ accountId: id, passwordHash: 'h', at: AT });
      expect(await store.revokeTokens(id, LATER)).toBe(1);
      expect(await store.revokeTokens(id, LATER)).toBe(2);
      expect(await store.get(id)).toMatchObject({ passwordHash: 'h', tokenVersion: 2, updatedAt: LATER });
      expect(await store.revokeTokens(`${id}-missing`, LATER)).toBeNull();
      expect(await store.get(`${id}-missing`)).toBeNull();
    });

    it('concurrent bumps are not lost (each answer is a distinct version)', async () => {
      await store.create({ accountId: id, passwordHash: 'h', at: AT });
      const versions = await Promise.all(Array.from({ length: 10 }, () => store.revokeTokens(id, LATER)));
      expect([...versions].sort((a, b) => a! - b!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect((await store.get(id))!.tokenVersion).toBe(10);
    });

    it('delete removes the row', async () => {
      await store.create({ accountId: id, passwordHash: 'h', at: AT });
      await store.delete(id);
      expect(await store.get(id)).toBeNull();
      await store.delete(id); // deleting nothing is fine
    });

    it('rows survive closing and reopening the store', async () => {
      await store.create({ accountId: id, passwordHash: 'durable', at: AT });
      await store.setPassword(id, 'durable-2', LATER);
      await store.close();
      store = await makeStore();
      expect(await store.get(id)).toMatchObject({ passwordHash: 'durable-2', tokenVersion: 1 });
    });
  });
}
