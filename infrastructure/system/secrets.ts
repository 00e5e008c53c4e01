import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateEd25519PrivateKeyPem } from './ed25519-signer';

/**
 * Per-installation secrets kept in DATA_DIR/secrets.json (mode 0600), created on first start.
 * The trace-code secret signs the check segment of every trace code: changing it invalidates printed labels.
 * The signing key seals checkpoints; auditors verify exports with its public key.
 */
export interface Secrets {
  traceCodeSecret: string;
  /** Ed25519 private key (PKCS#8 PEM) that signs ledger checkpoints. */
  signingKeyPem: string;
  /** HMAC key of access tokens. */
  tokenSecret: string;
}

export function loadOrCreateSecrets(dataDir: string, override?: { traceCodeSecret?: string | undefined }): Secrets {
  const file = path.join(dataDir, 'secrets.json');
  const stored: Partial<Secrets> = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Secrets>) : {};
  // Generate what is missing and keep it; a secret given by the environment is used but never written to disk.
  const persisted: Partial<Secrets> = {
    ...stored,
    signingKeyPem: stored.signingKeyPem ?? generateEd25519PrivateKeyPem(),
    tokenSecret: stored.tokenSecret ?? randomBytes(32).toString('hex'),
    ...(override?.traceCodeSecret ? {} : { traceCodeSecret: stored.traceCodeSecret ?? randomBytes(32).toString('hex') }),
  };
  if (JSON.stringify(persisted) !== JSON.stringify(stored)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(persisted, null, 2), { mode: 0o600 });
  }
  return {
    traceCodeSecret: override?.traceCodeSecret ?? persisted.traceCodeSecret!,
    signingKeyPem: persisted.signingKeyPem!,
    tokenSecret: persisted.tokenSecret!,
  };
}
