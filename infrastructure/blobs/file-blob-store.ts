import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isSha256, type BlobInfo, type BlobStore } from '../../application/ports/blob-store';

/**
 * The embedded BlobStore: files under `<dir>/ab/cd/<sha256>` (sharded by the first two bytes of the hash, so
 * no folder holds millions of entries), with a `<sha256>.json` beside it holding size and type.
 *
 * A put streams into a temp file in `<dir>/tmp/` while hashing, fsyncs it, writes the metadata, then renames
 * the content into place: rename is atomic on one file system, so a reader sees a whole blob or none, and a
 * crash leaves only a temp file (swept at start). The metadata is written before the content's rename, so a
 * visible blob always has its metadata.
 */
export class FileBlobStore implements BlobStore {
  private readonly tmpDir: string;

  constructor(private readonly dir: string) {
    this.tmpDir = path.join(dir, 'tmp');
    fs.mkdirSync(this.tmpDir, { recursive: true });
    // Leftovers of puts interrupted by a crash: never visible under a hash, safe to drop.
    for (const name of fs.readdirSync(this.tmpDir)) fs.rmSync(path.join(this.tmpDir, name), { force: true });
  }

  async put(content: Readable | Buffer, contentType: string): Promise<BlobInfo> {
    const tmp = path.join(this.tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
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
      const source = Buffer.isBuffer(content) ? Readable.from([content]) : content;
      await pipeline(source, hashing, fs.createWriteStream(tmp, { flags: 'wx' }));
      await fsyncFile(tmp);
      const sha256 = hash.digest('hex');
      const info: BlobInfo = { sha256, size, contentType };
      const target = this.pathOf(sha256);
      const existing = await this.stat(sha256);
      if (existing) return existing; // same bytes stored before: keep the first copy (and its type)
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      const metaTmp = `${tmp}.json`;
      await fs.promises.writeFile(metaTmp, JSON.stringify(info), { flag: 'wx' });
      await fsyncFile(metaTmp);
      await fs.promises.rename(metaTmp, `${target}.json`);
      await fs.promises.rename(tmp, target);
      await fsyncDir(path.dirname(target));
      return info;
    } finally {
      await fs.promises.rm(tmp, { force: true });
      await fs.promises.rm(`${tmp}.json`, { force: true });
    }
  }

  async get(sha256: string): Promise<Readable | null> {
    if (!isSha256(sha256)) return null;
    try {
      const handle = await fs.promises.open(this.pathOf(sha256), 'r');
      return handle.createReadStream();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async stat(sha256: string): Promise<BlobInfo | null> {
    if (!isSha256(sha256)) return null;
    const target = this.pathOf(sha256);
    try {
      await fs.promises.access(target);
      return JSON.parse(await fs.promises.readFile(`${target}.json`, 'utf8')) as BlobInfo;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async exists(sha256: string): Promise<boolean> {
    return (await this.stat(sha256)) !== null;
  }

  /** Where a blob's content lives (tests flip a byte there to prove corruption is caught). */
  pathOf(sha256: string): string {
    return path.join(this.dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async close(): Promise<void> {}
}

async function fsyncFile(file: string): Promise<void> {
  const handle = await fs.promises.open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The rename is durable only once the directory entry is (ext4/xfs); best effort where directories cannot be opened. */
async function fsyncDir(dir: string): Promise<void> {
  try {
    await fsyncFile(dir);
  } catch {
    /* not supported on this platform */
  }
}
