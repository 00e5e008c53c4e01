import ExcelJS from 'exceljs';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { rawRows } from '../../../../application/origin/import/spreadsheet-rows';
import { entryRanges, zipWithSheetsLast } from '../../../../application/origin/import/zip-entry-order';

/**
 * The import hands exceljs's streaming reader an upload's zip entries with the worksheets last, so the sheet
 * streams to the scanner instead of through a temporary file (zip-entry-order.ts). The entries must come out
 * whole and unchanged, and the rows must start before the file has been read to its end.
 */
// exceljs's own zip reader (its dependency; it ships no type declarations).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const unzipper = require('unzipper') as { Parse(options: { forceStream: boolean }): NodeJS.ReadWriteStream };
interface ZipEntry {
  path: string;
  buffer(): Promise<Buffer>;
}

async function entriesOf(stream: Readable): Promise<{ name: string; text: string }[]> {
  const out: { name: string; text: string }[] = [];
  for await (const entry of stream.pipe(unzipper.Parse({ forceStream: true })) as unknown as AsyncIterable<ZipEntry>) {
    out.push({ name: entry.path, text: (await entry.buffer()).toString('utf8') });
  }
  return out;
}

const isSheet = (name: string) => /^xl\/worksheets\/sheet\d+\.xml$/.test(name);

describe('the zip entry order of an imported XLSX', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zip-entry-order-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function streamedWorkbook(rows: number): Promise<string> {
    const file = path.join(dir, `streamed-${rows}.xlsx`);
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: true });
    const sheet = writer.addWorksheet('采集表');
    for (let i = 0; i < rows; i++) sheet.addRow([`海南省乐东黎族自治县抱由镇第${i}号合作社`, `18.${String(7421536 + i)}`, i]).commit();
    sheet.commit();
    const notes = writer.addWorksheet('备注');
    notes.addRow(['备注']).commit();
    notes.commit();
    await writer.commit();
    return file;
  }

  it('moves the worksheets after every other entry, each entry byte for byte as stored', async () => {
    // exceljs's streaming writer puts the sheets before workbook.xml.rels and styles.xml; its whole-workbook
    // writer puts sharedStrings.xml after the sheets (as Excel does).
    const streamed = await streamedWorkbook(200);
    const book = new ExcelJS.Workbook();
    book.addWorksheet('采集表').addRow(['共享字符串', 1]);
    const shared = path.join(dir, 'shared.xlsx');
    await book.xlsx.writeFile(shared);

    for (const file of [streamed, shared]) {
      const original = await entriesOf(fs.createReadStream(file));
      const firstSheet = original.findIndex((e) => isSheet(e.name));
      expect(original.slice(firstSheet).some((e) => !isSheet(e.name) && /workbook\.xml\.rels|styles\.xml|sharedStrings\.xml/.test(e.name))).toBe(true);

      const zip = zipWithSheetsLast(file);
      expect(zip.sheetsLast).toBe(true);
      const reordered = await entriesOf(zip.stream);
      const sheetsFrom = reordered.findIndex((e) => isSheet(e.name));
      expect(reordered.slice(sheetsFrom).every((e) => isSheet(e.name))).toBe(true);
      expect(reordered.filter((e) => isSheet(e.name)).map((e) => e.name)).toEqual(original.filter((e) => isSheet(e.name)).map((e) => e.name));
      expect([...reordered].sort((a, b) => a.name.localeCompare(b.name))).toEqual([...original].sort((a, b) => a.name.localeCompare(b.name)));
      expect(zip.stream.bytesRead).toBeLessThanOrEqual(fs.statSync(file).size);
    }
  });

  it('lets the first row out before the upload is read to its end (no temporary copy of the sheet)', async () => {
    // Cells that do not compress, so the zip is larger than what the reader's streams buffer ahead (≈ 1 MiB).
    const file = path.join(dir, 'incompressible.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: true });
    const sheet = writer.addWorksheet('采集表');
    for (let i = 0; i < 8000; i++) sheet.addRow(Array.from({ length: 8 }, () => crypto.randomBytes(32).toString('hex'))).commit();
    sheet.commit();
    await writer.commit();
    const progress = { bytesRead: 0, bytesTotal: 0 };
    let atFirstRow = -1;
    let rows = 0;
    for await (const _row of rawRows(file, 'xlsx', progress)) {
      if (atFirstRow < 0) atFirstRow = progress.bytesRead;
      rows++;
    }
    expect(rows).toBe(8000);
    expect(progress.bytesTotal).toBe(fs.statSync(file).size);
    expect(progress.bytesTotal).toBeGreaterThan(2 * 1024 * 1024);
    // Read as exceljs reads it unaided, the whole zip is consumed (the sheet inflated to a temporary file) first.
    expect(atFirstRow).toBeGreaterThan(0);
    expect(atFirstRow).toBeLessThan(progress.bytesTotal - 512 * 1024);
  });

  it('leaves a file that is not a plain zip to exceljs as it is', async () => {
    const check = async (name: string, bytes: Buffer) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, bytes);
      const fd = fs.openSync(file, 'r');
      try {
        expect(entryRanges(fd, bytes.length)).toBeNull();
      } finally {
        fs.closeSync(fd);
      }
      const zip = zipWithSheetsLast(file);
      expect(zip.sheetsLast).toBe(false);
      await new Promise((resolve) => zip.stream.once('close', resolve).destroy());
    };
    await check('text.xlsx', Buffer.from('种养殖主体名称,产品名称\n甲,豇豆\n'));
    await check('empty.xlsx', Buffer.alloc(0));
    // A real zip cut short: its end record (and directory) are gone.
    const whole = fs.readFileSync(path.join(dir, 'streamed-200.xlsx'));
    await check('truncated.xlsx', whole.subarray(0, whole.length - 30));
    // A directory pointing into the middle of an entry.
    const damaged = Buffer.from(whole);
    const eocd = damaged.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const cdOffset = damaged.readUInt32LE(eocd + 16);
    damaged.writeUInt32LE(damaged.readUInt32LE(cdOffset + 42) + 1, cdOffset + 42);
    await check('damaged.xlsx', damaged);
  });
});
