import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { TEMPLATE_COLUMNS, TEMPLATE_NOTES } from './columns';
import type { RowCells } from './row-input';

/**
 * The 采集表 as XLSX, written as a stream (inline strings, no shared-string table: memory flat in the rows,
 * and the import reads it back without caching strings). Two header rows as in seed 003 附件1: the groups
 * 基地地址* and 点位经纬度* merged over their sub-columns, every other header merged over both rows. The
 * coordinate, code and phone columns are text, so 6+ decimals and leading zeros stay as typed.
 */
const TEXT_COLUMNS = new Set(['lat', 'lon', 'villageCode', 'contactMobile', 'gridWorkerMobile', 'collectorMobile', 'scaleAmount', 'marketingFrom', 'marketingTo']);
export const HEADER_ROWS = 2;

export interface SheetWriter {
  addRow(cells: RowCells, extra?: string[]): void;
  /** Finishes the workbook and ends the stream. */
  done(): Promise<void>;
}

export function sheetWriter(stream: Writable, opts: { title: string; extraHeaders?: string[]; notes?: boolean }): SheetWriter {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: false, useStyles: true });
  const sheet = book.addWorksheet(opts.title, { views: [{ state: 'frozen', ySplit: HEADER_ROWS }] });
  const extra = opts.extraHeaders ?? [];
  sheet.columns = [...TEMPLATE_COLUMNS.map((c) => ({ key: c.key, width: c.width, style: TEXT_COLUMNS.has(c.key) ? { numFmt: '@' } : {} })), ...extra.map((h) => ({ key: h, width: 40 }))];
  const top: string[] = [];
  const sub: string[] = [];
  let lastGroup: string | null = null;
  for (const c of TEMPLATE_COLUMNS) {
    top.push(c.group ? (c.group === lastGroup ? '' : c.group) : c.header);
    sub.push(c.group ? c.header : '');
    lastGroup = c.group;
  }
  for (const h of extra) {
    top.push(h);
    sub.push('');
  }
  const header = (values: string[]) => {
    const row = sheet.addRow(values);
    row.font = { bold: true };
    row.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  };
  header(top);
  header(sub);
  // Merges: a group over its sub-columns in row 1; a plain column over both header rows.
  let i = 0;
  while (i < TEMPLATE_COLUMNS.length) {
    const c = TEMPLATE_COLUMNS[i]!;
    if (c.group) {
      let j = i;
      while (j + 1 < TEMPLATE_COLUMNS.length && TEMPLATE_COLUMNS[j + 1]!.group === c.group) j++;
      sheet.mergeCells(1, i + 1, 1, j + 1);
      i = j + 1;
    } else {
      sheet.mergeCells(1, i + 1, 2, i + 1);
      i++;
    }
  }
  extra.forEach((_, k) => sheet.mergeCells(1, TEMPLATE_COLUMNS.length + k + 1, 2, TEMPLATE_COLUMNS.length + k + 1));
  sheet.getRow(1).commit();
  sheet.getRow(2).commit();
  let seq = 0;
  return {
    addRow(cells, more = []) {
      seq++;
      sheet.addRow([...TEMPLATE_COLUMNS.map((c) => (c.key === 'seq' ? (cells.seq || String(seq)) : cells[c.key])), ...more]).commit();
    },
    async done() {
      sheet.commit();
      if (opts.notes) {
        const notes = book.addWorksheet('备注');
        notes.getColumn(1).width = 120;
        notes.addRow(['备注（重点农产品产地溯源信息采集表，农质安函〔2023〕… 附件1）']).commit();
        for (const n of TEMPLATE_NOTES) notes.addRow([n]).commit();
        notes.commit();
      }
      await book.commit();
    },
  };
}

/** An example row in the template (a real village of 乐东黎族自治县, Hainan), to be overwritten. */
export const EXAMPLE_ROW: RowCells = {
  seq: '1',
  producerName: '乐东抱由豇豆专业合作社（示例）',
  producerType: '农民专业合作社',
  industry: '种植业',
  product: '豇豆',
  alias: '',
  certification: '绿色',
  province: '海南省',
  city: '省直辖县级行政区划',
  county: '乐东黎族自治县',
  township: '抱由镇',
  village: '抱由村委会',
  villageCode: '469027100200',
  detail: '',
  lat: '18.742153',
  lon: '109.175341',
  contactName: '王芳',
  contactMobile: '13800138000',
  scaleAmount: '2.5',
  scaleUnit: '亩',
  aquacultureMode: '',
  marketingFrom: '2026-05',
  marketingTo: '2026-09',
  productionMethods: '露地',
  traceMethods: '承诺达标合格证、追溯码',
  creditRating: '',
  gridWorkerName: '李强',
  gridWorkerMobile: '13912345678',
  collectorName: '赵敏',
  collectorMobile: '15012345678',
};

/** The downloadable template: the header rows, one example row and the seed's 备注 on a second sheet. */
export async function writeTemplate(stream: Writable): Promise<void> {
  const w = sheetWriter(stream, { title: '重点农产品产地溯源信息采集表', notes: true });
  w.addRow(EXAMPLE_ROW);
  await w.done();
}

/** The template as CSV (UTF-8 with BOM so Excel opens it as such): one header row naming group/sub-column. */
export function csvHeader(): string {
  return TEMPLATE_COLUMNS.map((c) => csvCell(c.group ? `${c.group.replace(/\*$/, '')}/${c.header}` : c.header)).join(',');
}
export function csvLine(cells: RowCells, extra: string[] = []): string {
  return [...TEMPLATE_COLUMNS.map((c) => csvCell(cells[c.key])), ...extra.map(csvCell)].join(',');
}
export function csvCell(v: string): string {
  // A leading = + - @ would be a formula in a spreadsheet: quoted with a leading apostrophe, as OWASP advises.
  const safe = /^[=+\-@\t\r]/.test(v) && !/^-?\d+(\.\d+)?$/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
