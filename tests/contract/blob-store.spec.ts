import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { FileBlobStore } from '../../infrastructure/blobs/file-blob-store';
import { S3BlobStore } from '../../infrastructure/blobs/s3-blob-store';
import { blobStoreContract } from './suites/blob-store.contract';
import { uniqueName } from './suites/contract-helpers';
import { serverUnderTest } from './support/server-under-test';

/** The BlobStore contract on the files under DATA_DIR/blobs, and on an S3-compatible bucket (versitygw). */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-blobs-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

blobStoreContract('files', async () => new FileBlobStore(path.join(dir, 'store')));

describe('FileBlobStore: layout and crash safety', () => {
  it('shards by the hash prefix and writes size and type beside the content', async () => {
    const store = new FileBlobStore(path.join(dir, 'layout'));
    const info = await store.put(randomBytes(10), 'image/png');
    const file = store.pathOf(info.sha256);
    expect(path.relative(path.join(dir, 'layout'), file)).toBe(path.join(info.sha256.slice(0, 2), info.sha256.slice(2, 4), info.sha256));
    expect(JSON.parse(fs.readFileSync(`${file}.json`, 'utf8'))).toEqual(info);
    expect(fs.readdirSync(path.join(dir, 'layout', 'tmp'))).toEqual([]);
  });

  it('a temp file left by a crash is swept at start and never visible under a hash', async () => {
    const root = path.join(dir, 'crash');
    new FileBlobStore(root);
    fs.writeFileSync(path.join(root, 'tmp', 'half-written'), 'partial');
    new FileBlobStore(root);
    expect(fs.readdirSync(path.join(root, 'tmp'))).toEqual([]);
  });
});

const server = serverUnderTest('S3 (versitygw)', 'S3_ENDPOINT');

server.describeWithServer((endpoint) => {
  const bucket = process.env.S3_BUCKET || 'suyuan-contract';
  // Each run under its own key prefix: the bucket may be shared with other runs.
  const prefix = `${uniqueName('run')}/`;
  blobStoreContract('S3', () =>
    S3BlobStore.connect({
      endpoint,
      bucket,
      region: process.env.S3_REGION || 'us-east-1',
      accessKey: process.env.S3_ACCESS_KEY ?? '',
      secretKey: process.env.S3_SECRET_KEY ?? '',
      prefix,
    }),
  );

  it('S3: a missing bucket is created on connect', async () => {
    const fresh = uniqueName('b');
    const store = await S3BlobStore.connect({ endpoint, bucket: fresh, region: 'us-east-1', accessKey: process.env.S3_ACCESS_KEY ?? '', secretKey: process.env.S3_SECRET_KEY ?? '' });
    try {
      const info = await store.put(Buffer.from('%PDF-1.7 x'), 'application/pdf');
      expect(await store.stat(info.sha256)).toEqual(info);
    } finally {
      await store.close();
    }
  });
});
