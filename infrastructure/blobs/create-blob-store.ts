import * as path from 'node:path';
import type { BlobStore } from '../../application/ports/blob-store';
import type { AppConfig } from '../config/config';

/**
 * Which adapter keeps the attachments (DESIGN.md, ports): files under `DATA_DIR/blobs/` by default, an
 * S3-compatible bucket with BLOB_STORE=s3. Loaded lazily like the other adapters, so the embedded stack
 * never loads the AWS SDK.
 */
export async function createBlobStore(config: AppConfig): Promise<BlobStore> {
  if (config.BLOB_STORE === 's3') {
    const { S3BlobStore } = await import('./s3-blob-store');
    return S3BlobStore.connect({
      bucket: config.S3_BUCKET!,
      region: config.S3_REGION,
      ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}),
      ...(config.S3_ACCESS_KEY ? { accessKey: config.S3_ACCESS_KEY } : {}),
      ...(config.S3_SECRET_KEY ? { secretKey: config.S3_SECRET_KEY } : {}),
    });
  }
  const { FileBlobStore } = await import('./file-blob-store');
  return new FileBlobStore(path.join(config.dataDir, 'blobs'));
}
