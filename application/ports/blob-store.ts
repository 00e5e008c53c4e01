import type { Readable } from 'node:stream';

/** What the store knows of one stored file; the ledger's events keep the same three facts. */
export interface BlobInfo {
  /** Lower-case hex SHA-256 of the content: the blob's name. */
  sha256: string;
  size: number;
  contentType: string;
}

/**
 * Content-addressed files (photos, video, test reports, proof documents — DESIGN.md, ports). A blob is named
 * by the SHA-256 of its bytes, so putting the same content twice stores it once, and an event that records
 * the hash proves which bytes it meant. Size and type limits are the HTTP edge's business, not the store's.
 */
export interface BlobStore {
  /**
   * Stores the content (the hash is computed while it streams in; nothing is visible under the hash until
   * the whole content is stored). Putting content already stored is a no-op that answers the same info.
   */
  put(content: Readable | Buffer, contentType: string): Promise<BlobInfo>;
  /** The stored content as a stream, or null when no blob has this hash. The bytes are not re-verified here. */
  get(sha256: string): Promise<Readable | null>;
  /** Size and type of a stored blob, or null. */
  stat(sha256: string): Promise<BlobInfo | null>;
  exists(sha256: string): Promise<boolean>;
  close(): Promise<void>;
}

export const BLOB_STORE = Symbol('BlobStore');

/** A SHA-256 as blobs are named: 64 lower-case hex digits. */
export function isSha256(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}
