import * as path from 'node:path';
import type { CredentialStore } from '../../application/ports/credential-store';
import type { AppConfig } from '../config/config';

/**
 * Which adapter keeps the credentials (DESIGN.md, ports): the read store's engine decides — an SQLite file
 * beside the ledger in DATA_DIR on the embedded stack, a collection of the read store's database with
 * READ_STORE=mongodb. Loaded lazily like the other adapters (createAdapters has made DATA_DIR already).
 */
export async function createCredentialStore(config: AppConfig): Promise<CredentialStore> {
  if (config.READ_STORE === 'mongodb') {
    const { MongoCredentialStore } = await import('../mongodb/mongo-credential-store');
    return MongoCredentialStore.connect(config.MONGODB_URL!, config.MONGODB_DB);
  }
  const { SqliteCredentialStore } = await import('../sqlite/sqlite-credential-store');
  return new SqliteCredentialStore(path.join(config.dataDir, 'credentials.sqlite'));
}
