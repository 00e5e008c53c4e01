import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { columnName, xlsxWorkbook } from '../../../../application/reports/xlsx/xlsx-writer';

/** The FSMA export's own workbook writer, read back by exceljs (an independent reader) and checked by unzip. */
describe('xlsx writer', () => {
  it('names columns A…Z, AA…', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnName)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('writes sheets exceljs reads back cell for cell: text (escaped, spaces kept), numbers, empty cells, frozen header and filter', async () => {
    const bytes = xlsxWorkbook(
      [
        { name: 'Shipping', header: true, rows: [['Traceability Lot Code', 'Quantity', 'Unit'], ['4690272609307KMQX0001ABCM', 12.5, 'kg'], [' 前后空格 ', null, '<&>"\''], ['a\u0001b', Number.NaN, undefined]] },
        { name: '追溯链条数据表', rows: [['追溯码'], ['110101261123MMXYZ0001WM8M']] },
      ],
      { creator: 'Suyuan 溯源', created: '2026-11-23T08:00:00.000Z' },
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(wb.creator).toBe('Suyuan 溯源');
    expect(wb.created.toISOString()).toBe('2026-11-23T08:00:00.000Z');
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Shipping', '追溯链条数据表']);
    const ship = wb.getWorksheet('Shipping')!;
    expect(ship.getRow(1).values).toEqual([undefined, 'Traceability Lot Code', 'Quantity', 'Unit']);
    expect(ship.getRow(2).values).toEqual([undefined, '4690272609307KMQX0001ABCM', 12.5, 'kg']);
    expect(ship.getCell('A3').value).toBe(' 前后空格 ');
    expect(ship.getCell('B3').value).toBeNull();
    expect(ship.getCell('C3').value).toBe('<&>"\'');
    // XML 1.0 cannot carry U+0001: dropped (as exceljs did); a NaN is no number: the cell stays empty.
    expect(ship.getCell('A4').value).toBe('ab');
    expect(ship.getCell('B4').value).toBeNull();
    expect(ship.rowCount).toBe(4);
    expect(ship.views[0]).toMatchObject({ state: 'frozen', ySplit: 1, topLeftCell: 'A2' });
    expect(ship.autoFilter).toBe('A1:C1');
    const chain = wb.getWorksheet('追溯链条数据表')!;
    expect(chain.getCell('A2').value).toBe('110101261123MMXYZ0001WM8M');
    expect(chain.views[0]?.state).not.toBe('frozen');
  });

  it('is a ZIP archive unzip tests clean, with the parts of a SpreadsheetML package', () => {
    const file = path.join(os.tmpdir(), `xlsx-writer-${process.pid}.xlsx`);
    fs.writeFileSync(file, xlsxWorkbook([{ name: 'A', header: true, rows: [['x'], [1]] }], { creator: 'c', created: '2026-01-01T00:00:00.000Z' }));
    let listing: string;
    try {
      execFileSync('unzip', ['-v'], { stdio: 'ignore' });
      listing = execFileSync('unzip', ['-t', file]).toString('utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        console.warn('!!! xlsx writer: unzip absent, the archive test is SKIPPED !!!');
        return;
      }
      throw err;
    } finally {
      fs.rmSync(file, { force: true });
    }
    expect(listing).toContain('No errors detected');
    for (const part of ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/worksheets/sheet1.xml', 'docProps/core.xml']) expect(listing).toContain(part);
  });
});
