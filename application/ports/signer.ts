/** The ledger's signing key (Ed25519). Private key stays in the adapter; the public key is published. */
export interface LedgerSigner {
  /** Identifies the key (e.g. the SHA-256 of its public key, hex, first 16). */
  keyId: string;
  /** SubjectPublicKeyInfo PEM. */
  publicKeyPem: string;
  /** Detached signature, base64. */
  sign(message: string): string;
}

export const LEDGER_SIGNER = Symbol('LedgerSigner');
