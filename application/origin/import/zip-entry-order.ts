import fs from 'node:fs';
import { Readable } from 'node:stream';

/**
 * An uploaded XLSX as exceljs's streaming WorkbookReader reads it best: the zip's entries with the worksheets
 * moved after every other part, byte for byte as stored (local header, data, data descriptor).
 *
 * Why: the WorkbookReader reads the zip front to back and parses a worksheet as it streams only if the shared
 * strings and the workbook's relationships have been read already; otherwise it inflates the whole sheet into a
 * temporary file and parses it after the end of the zip. Both Excel (sharedStrings.xml after the sheets) and
 * exceljs's own streaming writer (the template, the export, the benchmark: workbook.xml.rels and styles.xml after
 * the sheet) write them in that order, so every import first inflated and wrote its whole sheet to disk (135 MB
 * of XML for 100,000 rows) before the first row reached the job. The upload is a file, so its central directory
 * says where each entry starts: handing exceljs the entries in this order lets it stream the sheet straight to
 * the import's scanner (sheet-xml.ts), with nothing waiting and nothing written.
 *
 * Anything this does not recognise as a plain zip (zip64, several disks, a damaged directory, not a zip at all)
 * is read as it is, and exceljs decides as before.
 */
export interface OrderedZip {
  stream: Readable & { bytesRead: number };
  /** True when every worksheet comes after every other entry (exceljs may then parse a sheet as it arrives). */
  sheetsLast: boolean;
}

/** A worksheet entry, as exceljs's WorkbookReader recognises one (workbook-reader.js). */
const WORKSHEET = /xl\/worksheets\/sheet\d+[.]xml/;
const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
/** End-of-central-directory record: 22 bytes and a comment of at most 65,535. */
const EOCD_MAX = 22 + 0xffff;

interface ZipEntry {
  name: string;
  offset: number;
}

export function zipWithSheetsLast(file: string): OrderedZip {
  const fd = fs.openSync(file, 'r');
  let ranges: [number, number][] | null = null;
  try {
    ranges = entryRanges(fd, fs.fstatSync(fd).size);
  } catch {
    ranges = null; // unreadable as a zip: exceljs reads the file as it is and reports it
  }
  if (!ranges) {
    fs.closeSync(fd);
    const plain = fs.createReadStream(file);
    return { stream: plain, sheetsLast: false };
  }
  return { stream: new RangesStream(fd, ranges), sheetsLast: true };
}

/**
 * The byte ranges to read, in order: each entry from its local header to the next entry's (or the central
 * directory), the non-worksheet entries in file order, then the worksheets in file order, then the central
 * directory and its end record as stored. Null when the file is not a zip this can reorder.
 */
export function entryRanges(fd: number, size: number): [number, number][] | null {
  const tailLength = Math.min(size, EOCD_MAX);
  if (tailLength < 22) return null;
  const tail = Buffer.alloc(tailLength);
  fs.readSync(fd, tail, 0, tailLength, size - tailLength);
  let at = -1;
  for (let i = tailLength - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE && i + 22 + tail.readUInt16LE(i + 20) <= tailLength) {
      at = i;
      break;
    }
  }
  if (at < 0) return null;
  const disk = tail.readUInt16LE(at + 4);
  const cdDisk = tail.readUInt16LE(at + 6);
  const onDisk = tail.readUInt16LE(at + 8);
  const count = tail.readUInt16LE(at + 10);
  const cdSize = tail.readUInt32LE(at + 12);
  const cdOffset = tail.readUInt32LE(at + 16);
  // Several disks, or zip64 (its markers in the 32-bit fields): left to exceljs.
  if (disk !== 0 || cdDisk !== 0 || onDisk !== count || count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) return null;
  const eocdOffset = size - tailLength + at;
  if (cdOffset + cdSize > eocdOffset) return null;
  const cd = Buffer.alloc(cdSize);
  fs.readSync(fd, cd, 0, cdSize, cdOffset);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL_SIGNATURE) return null;
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    const offset = cd.readUInt32LE(p + 42);
    if (offset === 0xffffffff || offset >= cdOffset || p + 46 + nameLength > cd.length) return null;
    entries.push({ name: cd.toString('utf8', p + 46, p + 46 + nameLength), offset });
    p += 46 + nameLength + extraLength + commentLength;
  }
  if (entries.length === 0) return null;
  entries.sort((a, b) => a.offset - b.offset);
  const signature = Buffer.alloc(4);
  const ranged = entries.map((e, i) => {
    const end = i + 1 < entries.length ? entries[i + 1]!.offset : cdOffset;
    return { worksheet: WORKSHEET.test(e.name), range: [e.offset, end] as [number, number] };
  });
  for (const { range } of ranged) {
    // Every entry must start with a local header where the directory says (two at one offset would be empty).
    if (range[1] <= range[0]) return null;
    fs.readSync(fd, signature, 0, 4, range[0]);
    if (signature.readUInt32LE(0) !== LOCAL_SIGNATURE) return null;
  }
  return [...ranged.filter((r) => !r.worksheet).map((r) => r.range), ...ranged.filter((r) => r.worksheet).map((r) => r.range), [cdOffset, size]];
}

/** Reads the ranges of one open file one after the other (64 KiB at a time); closes it when done or destroyed. */
class RangesStream extends Readable {
  /** Bytes of the file read so far (the import's progress). */
  bytesRead = 0;
  private index = 0;
  private position: number;
  /** A read in flight: the descriptor is closed after it returns, never under it. */
  private reading = false;
  private closeWhenRead: (() => void) | null = null;

  constructor(
    private readonly fd: number,
    private readonly ranges: [number, number][],
  ) {
    super();
    this.position = ranges[0]![0];
  }

  override _read(): void {
    while (this.index < this.ranges.length && this.position >= this.ranges[this.index]![1]) {
      this.index++;
      if (this.index < this.ranges.length) this.position = this.ranges[this.index]![0];
    }
    if (this.index >= this.ranges.length) {
      this.push(null);
      return;
    }
    const length = Math.min(64 * 1024, this.ranges[this.index]![1] - this.position);
    const buffer = Buffer.allocUnsafe(length);
    this.reading = true;
    fs.read(this.fd, buffer, 0, length, this.position, (err, n) => {
      this.reading = false;
      if (this.closeWhenRead) return this.closeWhenRead();
      if (this.destroyed) return;
      if (err) return void this.destroy(err);
      if (n === 0) return void this.destroy(new Error('the upload ended inside a zip entry'));
      this.position += n;
      this.bytesRead += n;
      this.push(n === length ? buffer : buffer.subarray(0, n));
    });
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    const close = () => fs.close(this.fd, () => callback(err));
    if (this.reading) this.closeWhenRead = close;
    else close();
  }
}
