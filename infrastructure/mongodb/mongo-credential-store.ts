import { MongoClient, MongoServerError, type Collection } from 'mongodb';
import type { Credential, CredentialStore, NewCredential } from '../../application/ports/credential-store';

/** Not a read model: never rebuilt from the log, so it is named apart from the projections' collections. */
export const CREDENTIALS_COLLECTION = '_suyuan_credentials';
const DUPLICATE_KEY = 11000;

interface CredentialDoc {
  _id: string;
  passwordHash: string;
  tokenVersion: number;
  seededFromLedger: boolean;
  updatedAt: string;
}

/**
 * The CredentialStore for READ_STORE=mongodb: a collection in the read store's database (its own client, so
 * the read store's lifecycle stays its own). Single-document updates only ($inc, upsert), which FerretDB v1
 * supports too; majority + journaled writes, as a lost revocation must not come back after a failover.
 */
export class MongoCredentialStore implements CredentialStore {
  private readonly writes = new Map<string, Promise<unknown>>();

  private constructor(
    private readonly client: MongoClient,
    private readonly credentials: Collection<CredentialDoc>,
  ) {}

  static async connect(url: string, dbName?: string, collection = CREDENTIALS_COLLECTION): Promise<MongoCredentialStore> {
    const client = new MongoClient(url, { writeConcern: { w: 'majority', j: true }, serverSelectionTimeoutMS: 10_000 });
    await client.connect();
    const name = dbName ?? (client.options.dbName && client.options.dbName !== 'test' ? client.options.dbName : 'suyuan');
    return new MongoCredentialStore(client, client.db(name).collection<CredentialDoc>(collection));
  }

  async get(accountId: string): Promise<Credential | null> {
    const doc = await this.credentials.findOne({ _id: accountId });
    return doc ? toCredential(doc) : null;
  }

  async create(c: NewCredential): Promise<boolean> {
    try {
      await this.credentials.insertOne({ _id: c.accountId, passwordHash: c.passwordHash, tokenVersion: 0, seededFromLedger: c.seededFromLedger === true, updatedAt: c.at });
      return true;
    } catch (err) {
      if (err instanceof MongoServerError && err.code === DUPLICATE_KEY) return false;
      throw err;
    }
  }

  async setPassword(accountId: string, passwordHash: string, at: string): Promise<number> {
    return this.serially(accountId, async () => {
      const doc = await this.credentials.findOneAndUpdate(
        { _id: accountId },
        { $set: { passwordHash, seededFromLedger: false, updatedAt: at }, $inc: { tokenVersion: 1 } },
        { upsert: true, returnDocument: 'after' },
      );
      return doc!.tokenVersion;
    });
  }

  async revokeTokens(accountId: string, at: string): Promise<number | null> {
    return this.serially(accountId, async () => {
      const doc = await this.credentials.findOneAndUpdate({ _id: accountId }, { $set: { updatedAt: at }, $inc: { tokenVersion: 1 } }, { returnDocument: 'after' });
      return doc ? doc.tokenVersion : null;
    });
  }

  /**
   * One version bump per account at a time in this process. MongoDB applies `$inc` atomically anyway, but
   * FerretDB v1 (what CI runs) loses concurrent increments of one document — the contract test's concurrent
   * bumps came back with duplicates, even as a compare-and-set — and two revocations answering the same
   * version could let a token issued in between survive the second. Across processes on FerretDB that
   * remains possible (decision 0011); on MongoDB it is not.
   */
  private serially<T>(accountId: string, write: () => Promise<T>): Promise<T> {
    const previous = this.writes.get(accountId) ?? Promise.resolve();
    const next = previous.then(write, write);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.writes.set(accountId, settled);
    void settled.then(() => {
      if (this.writes.get(accountId) === settled) this.writes.delete(accountId);
    });
    return next;
  }

  async delete(accountId: string): Promise<void> {
    await this.credentials.deleteOne({ _id: accountId });
  }

  /** Test clean-up: drops the collection (a contract run leaves nothing behind on a shared server). */
  async drop(): Promise<void> {
    await this.credentials.drop().catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

function toCredential(doc: CredentialDoc): Credential {
  return { accountId: doc._id, passwordHash: doc.passwordHash, tokenVersion: doc.tokenVersion, seededFromLedger: doc.seededFromLedger, updatedAt: doc.updatedAt };
}
