import ExcelJS from 'exceljs';
import * as fs from 'node:fs';
import { synthesiseChain } from '../../../../application/reports/chain-synthesis';
import { FSMA_COLUMN_COUNTS, FSMA_COLUMNS, type FsmaTab } from '../../../../application/reports/xlsx/fsma-columns';
import { fsmaDate, fsmaWorkbook } from '../../../../application/reports/xlsx/fsma-workbook';
import { foldIntoMemory, generateTree } from './support/recall-tree';
import { interopAvailable, interopFile } from './support/interop';

const TABS: FsmaTab[] = ['Harvesting', 'Initial Packing', 'Shipping', 'Receiving', 'Transformation'];

describe('FSMA 204 sortable spreadsheet (XLSX)', () => {
  it('has one tab per critical tracking event with the template’s columns in order, and a row per event', async () => {
    const tree = generateTree({ lots: 30, fanOut: 3 });
    const synthesis = await synthesiseChain(await foldIntoMemory(tree.events), [tree.origin]);
    const buffer = await fsmaWorkbook(synthesis, { publicUrl: 'https://suyuan.test', generatedAt: '2026-11-23T08:00:00.000Z' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([...TABS, '追溯链条数据表']);
    for (const tab of TABS) {
      const ws = wb.getWorksheet(tab)!;
      const header = (ws.getRow(1).values as unknown[]).slice(1);
      expect(header).toEqual(FSMA_COLUMNS[tab]);
      expect(header).toHaveLength(FSMA_COLUMN_COUNTS[tab]);
    }
    const transfers = synthesis.edges.filter((e) => e.kind === 'transfer').length;
    expect(wb.getWorksheet('Shipping')!.rowCount - 1).toBe(synthesis.edges.length);
    expect(wb.getWorksheet('Receiving')!.rowCount - 1).toBe(transfers);
    expect(wb.getWorksheet('Transformation')!.rowCount - 1).toBe(transfers);
    expect(wb.getWorksheet('追溯链条数据表')!.rowCount - 1).toBe(synthesis.nodes.length);
    const firstShipping = wb.getWorksheet('Shipping')!.getRow(2);
    const col = (name: string) => FSMA_COLUMNS.Shipping.indexOf(name) + 1;
    expect(firstShipping.getCell(col('Traceability Lot Code')).value).toBe(synthesis.edges[0]!.from);
    expect(firstShipping.getCell(col('Shipping Date')).value).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    expect(firstShipping.getCell(col('Location Description for the Location from which you Shipped the Food - State or Region')).value).toBe('海南省');
  });

  it('writes dates as mm/dd/yyyy in China Standard Time', () => {
    expect(fsmaDate('2026-09-30T16:30:00.000Z')).toBe('10/01/2026');
    expect(fsmaDate('2026-09-30')).toBe('09/30/2026');
  });

  (interopAvailable('FSMA column transcription') ? it : it.skip)('uses the headers of the transcribed FDA template', () => {
    const md = fs.readFileSync(interopFile('fsma204-sortable-spreadsheet-columns.md'), 'utf8').replace(/\s+/g, ' ');
    for (const tab of TABS) expect(md).toMatch(new RegExp(`## ${tab} \\(${FSMA_COLUMN_COUNTS[tab]}( columns)?\\)`));
    expect(md).toContain('Traceability Lot Code Source Reference (may be provided instead of the location description for the TLC Source)');
  });
});
