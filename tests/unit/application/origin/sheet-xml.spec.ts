import ExcelJS from 'exceljs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SheetXmlScanner, xmlText, type SheetXmlContext } from '../../../../application/origin/import/sheet-xml';
import { cellText, rawRows } from '../../../../application/origin/import/spreadsheet-rows';

/**
 * The import's own scan of the sheet XML (sheet-xml.ts) must read every cell as exceljs's reader + cellText
 * would: the test writes workbooks with exceljs (shared strings, styles, dates, formulas, rich text, gaps),
 * reads them back through exceljs's whole-workbook reader and through the import's streaming reader, and
 * compares cell by cell; the scanner is also fed one character at a time and with namespace prefixes.
 */
const ctx: SheetXmlContext = { sharedString: (i) => ['甲', { richText: [{ text: '乙' }, { text: '丙' }] }][i], isDateStyle: (s) => s === 7, date1904: false, text: cellText };

/** Trailing empty cells do not matter to the import (an absent column reads as ''); exceljs drops some of them. */
const trimmed = (cells: string[]) => {
  const out = [...cells];
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
};

async function viaExcelJs(file: string): Promise<{ row: number; cells: string[] }[]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  const out: { row: number; cells: string[] }[] = [];
  book.worksheets[0]!.eachRow({ includeEmpty: false }, (row, number) => {
    const values = row.values as unknown[];
    const cells: string[] = [];
    for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
    out.push({ row: number, cells: trimmed(cells) });
  });
  return out;
}

async function viaImport(file: string): Promise<{ row: number; cells: string[] }[]> {
  const out: { row: number; cells: string[] }[] = [];
  for await (const r of rawRows(file, 'xlsx', { bytesRead: 0, bytesTotal: 0 })) if (r.cells.some((c) => c !== '')) out.push({ row: r.row, cells: trimmed(r.cells) });
  return out;
}

describe('the sheet XML scan of the origin import', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sheet-xml-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a workbook with shared strings, numbers, dates, formulas, booleans, errors and gaps as exceljs does', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('采集表');
    sheet.addRow(['种养殖主体名称*', '纬度', '经度', '上市时间', '规模', '备注']);
    sheet.addRow(['东华门<豇豆>&"合作社"', '39.9163447', 116.3971546, new Date(Date.UTC(2026, 4, 1)), 2.5, { richText: [{ text: '露' }, { text: '地', font: { bold: true } }] }]);
    sheet.getCell('D2').numFmt = 'yyyy-mm';
    sheet.addRow(['  带空格  ', '', null, '2026-05', { formula: '1+1', result: 2 }, { formula: 'A1', result: '公式文字' }]);
    sheet.getRow(5).values = ['隔一行', true, false, { error: '#N/A' }, 0.0000001, 12345678901];
    sheet.getCell('H5').value = '远处的列';
    const file = path.join(dir, 'mixed.xlsx');
    await book.xlsx.writeFile(file);
    const expected = await viaExcelJs(file);
    expect(expected).toHaveLength(4);
    expect(await viaImport(file)).toEqual(expected);
  });

  it('reads the streamed writer’s inline strings (the template and the export) as exceljs does', async () => {
    const file = path.join(dir, 'streamed.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: true });
    const sheet = writer.addWorksheet('采集表');
    for (let i = 0; i < 500; i++) sheet.addRow([`海南省乐东黎族自治县抱由镇第${i}号合作社`, `18.${String(7421536 + i)}`, i, i % 2 === 0 ? '' : `a&b<${i}>`]).commit();
    sheet.commit();
    await writer.commit();
    expect(await viaImport(file)).toEqual(await viaExcelJs(file));
  });

  it('gives the same rows whatever the chunk boundaries, with namespace prefixes, rich inline strings and cells without references', () => {
    const xml =
      '<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:cols><x:col min="1" max="2"/></x:cols><x:sheetData>' +
      '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1" t="s"><x:v>1</x:v></x:c></x:row>' +
      '<x:row r="2"/>' +
      "<x:row><x:c t='inlineStr'><x:is><x:r><x:t>韭</x:t></x:r><x:r><x:t xml:space=\"preserve\"> 菜</x:t></x:r><x:rPh sb=\"0\" eb=\"1\"><x:t>jiu</x:t></x:rPh></x:is></x:c><x:c s=\"7\"><x:v>46143</x:v></x:c><x:c t=\"b\"><x:v>1</x:v></x:c><x:c t=\"str\"><x:f>A1</x:f><x:v>&#x4E2D;&amp;&#25991;</x:v></x:c></x:row>" +
      '</x:sheetData><x:mergeCells count="0"/></x:worksheet>';
    const whole = new SheetXmlScanner(ctx).push(xml);
    expect(whole).toEqual([
      { number: 1, cells: ['甲', '', '乙丙'] },
      { number: 2, cells: [] },
      { number: 3, cells: ['韭 菜', '2026-05-01', 'true', '中&文'] },
    ]);
    const scanner = new SheetXmlScanner(ctx);
    const piecewise = [...xml].flatMap((ch) => scanner.push(ch));
    expect(piecewise).toEqual(whole);
  });

  it('decodes character references and the predefined entities once', () => {
    expect(xmlText('&lt;a&gt; &amp;lt; &quot;&apos; &#20013;&#x6587;')).toBe('<a> &lt; "\' 中文');
  });
});
