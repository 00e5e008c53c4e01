import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CreateBucketCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { isSha256, type BlobInfo, type BlobStore } from '../../application/ports/blob-store';

export interface S3BlobStoreOptions {
  endpoint?: string;
  bucket: string;
  accessKey?: string;
  secretKey?: string;
  region: string;
  /** Key prefix inside the bucket, so several installations (or test runs) can share one bucket. */
  prefix?: string;
}

/**
 * The distributed BlobStore: objects `<prefix><sha256>` in an S3-compatible bucket (tested against versitygw).
 *
 * The key is the content's hash, which is known only once the whole content has been read, so a put spools
 * the stream to a local temp file while hashing it, then uploads that file with its length and SHA-256
 * checksum (the server verifies it, so a corrupted upload never lands under the hash). A put of content the
 * bucket already holds uploads nothing. Path-style addressing: S3-compatible servers rarely do virtual hosts.
 */
export class S3BlobStore implements BlobStore {
  private constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {}

  static async connect(options: S3BlobStoreOptions): Promise<S3BlobStore> {
    const client = new S3Client({
      region: options.region,
      forcePathStyle: true,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.accessKey && options.secretKey ? { credentials: { accessKeyId: options.accessKey, secretAccessKey: options.secretKey } } : {}),
      // Only the checksums we ask for (SHA-256 on put): the SDK's default CRC32 trailers are not understood by every S3-compatible server.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    const store = new S3BlobStore(client, options.bucket, options.prefix ?? '');
    await store.ensureBucket();
    return store;
  }

  private async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
      try {
        await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
      } catch (createErr) {
        // Another process created it in between: that is what we wanted.
        if (statusOf(createErr) !== 409) throw createErr;
      }
    }
  }

  async put(content: Readable | Buffer, contentType: string): Promise<BlobInfo> {
    if (Buffer.isBuffer(content)) {
      const sha256 = createHash('sha256').update(content).digest('hex');
      return this.upload({ sha256, size: content.length, contentType }, () => content);
    }
    const spool = path.join(os.tmpdir(), `suyuan-blob-${Date.now()}-${randomBytes(8).toString('hex')}`);
    const hash = createHash('sha256');
    let size = 0;
    const hashing = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(content, hashing, fs.createWriteStream(spool, { flags: 'wx' }));
      return await this.upload({ sha256: hash.digest('hex'), size, contentType }, () => fs.createReadStream(spool));
    } finally {
      await fs.promises.rm(spool, { force: true });
    }
  }

  private async upload(info: BlobInfo, body: () => Readable | Buffer): Promise<BlobInfo> {
    const existing = await this.stat(info.sha256);
    if (existing) return existing; // same bytes stored before: keep the first copy (and its type)
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.key(info.sha256),
        Body: body(),
        ContentLength: info.size,
        ContentType: info.contentType,
        ChecksumSHA256: Buffer.from(info.sha256, 'hex').toString('base64'),
      }),
    );
    return info;
  }

  async get(sha256: string): Promise<Readable | null> {
    if (!isSha256(sha256)) return null;
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(sha256) }));
      return out.Body as Readable;
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw err;
    }
  }

  async stat(sha256: string): Promise<BlobInfo | null> {
    if (!isSha256(sha256)) return null;
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(sha256) }));
      return { sha256, size: Number(head.ContentLength ?? 0), contentType: head.ContentType ?? 'application/octet-stream' };
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw err;
    }
  }

  async exists(sha256: string): Promise<boolean> {
    return (await this.stat(sha256)) !== null;
  }

  /** The object key of a blob (tests overwrite it to prove corruption is caught). */
  key(sha256: string): string {
    return `${this.prefix}${sha256}`;
  }

  /** The SDK client and bucket, for tests that tamper with objects behind the store's back. */
  get raw(): { client: S3Client; bucket: string } {
    return { client: this.client, bucket: this.bucket };
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

function statusOf(err: unknown): number | undefined {
  if (err instanceof S3ServiceException) return err.$metadata.httpStatusCode;
  return (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}
