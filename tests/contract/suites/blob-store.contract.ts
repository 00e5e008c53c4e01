import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { BlobStore } from '../../../application/ports/blob-store';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Content in many small chunks, as an upload arrives. */
function chunked(content: Buffer, size = 64 * 1024): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < content.length; i += size) parts.push(content.subarray(i, i + size));
  return Readable.from(parts);
}

/**
 * The BlobStore contract (application/ports/blob-store.ts), run against every adapter: the files under
 * DATA_DIR/blobs and an S3-compatible bucket (versitygw in CI).
 */
export function blobStoreContract(name: string, open: () => Promise<BlobStore>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let store: BlobStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('a buffer put answers its SHA-256, size and type; get gives the same bytes back', async () => {
      const content = randomBytes(1000);
      const info = await store.put(content, 'image/png');
      expect(info).toEqual({ sha256: sha(content), size: 1000, contentType: 'image/png' });
      expect(await store.exists(info.sha256)).toBe(true);
      expect(await store.stat(info.sha256)).toEqual(info);
      expect((await readAll((await store.get(info.sha256))!)).equals(content)).toBe(true);
    });

    it('a streamed put (3 MB in 64 KiB chunks) is hashed while it streams and stored whole', async () => {
      const content = randomBytes(3 * 1024 * 1024 + 17);
      const info = await store.put(chunked(content), 'video/mp4');
      expect(info).toEqual({ sha256: sha(content), size: content.length, contentType: 'video/mp4' });
      const back = await readAll((await store.get(info.sha256))!);
      expect(back.length).toBe(content.length);
      expect(sha(back)).toBe(info.sha256);
    });

    it('the same content twice is one blob: the second put answers the first info', async () => {
      const content = randomBytes(512);
      const first = await store.put(content, 'application/pdf');
      const second = await store.put(chunked(content, 100), 'application/pdf');
      expect(second).toEqual(first);
    });

    it('an empty file is a blob too (the hash of nothing)', async () => {
      const info = await store.put(Buffer.alloc(0), 'application/pdf');
      expect(info.sha256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
      expect(info.size).toBe(0);
      expect((await readAll((await store.get(info.sha256))!)).length).toBe(0);
    });

    it('an unknown hash, or something that is not a hash, is absent (null / false), never an error', async () => {
      const unknown = sha(randomBytes(32));
      expect(await store.get(unknown)).toBeNull();
      expect(await store.stat(unknown)).toBeNull();
      expect(await store.exists(unknown)).toBe(false);
      expect(await store.get('../../etc/passwd')).toBeNull();
      expect(await store.exists('ABC')).toBe(false);
    });

    it('a stream that fails halfway stores nothing under any hash', async () => {
      const good = randomBytes(100_000);
      const failing = new Readable({
        read() {
          this.push(good.subarray(0, 50_000));
          this.destroy(new Error('client went away'));
        },
      });
      await expect(store.put(failing, 'image/jpeg')).rejects.toThrow(/client went away/);
      expect(await store.exists(sha(good.subarray(0, 50_000)))).toBe(false);
      expect(await store.exists(sha(good))).toBe(false);
    });

    it('puts of different content in parallel each land under their own hash', async () => {
      const contents = Array.from({ length: 6 }, () => randomBytes(20_000));
      const infos = await Promise.all(contents.map((c) => store.put(chunked(c, 4096), 'image/webp')));
      expect(infos.map((i) => i.sha256)).toEqual(contents.map(sha));
      for (const [i, c] of contents.entries()) expect((await readAll((await store.get(infos[i]!.sha256))!)).equals(c)).toBe(true);
    });
  });
}
