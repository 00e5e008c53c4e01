import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { TextDecoder } from 'node:util';
import { ValidationError } from '../../../domain/shared/errors';
import { normalizeHeader, TEMPLATE_COLUMNS, type ColumnKey } from './columns';
import type { RowCells } from './row-input';
import { csvRecords } from './csv-records';
import { SheetXmlScanner, type SheetXmlContext, type SheetXmlRow } from './sheet-xml';
import { zipWithSheetsLast } from './zip-entry-order';

export type SheetFormat = 'xlsx' | 'csv';

/** One data row: its number as the spreadsheet shows it (1-based, header rows counted) and its cells by column. */
export interface SheetRow {
  row: number;
  cells: RowCells;
}

/** How far the reader is in the file (bytes of the upload consumed): the job's progress before the row total is known. */
export interface ReadProgress {
  bytesRead: number;
  bytesTotal: number;
}

/** A cell's value as text: numbers in their shortest form, dates as YYYY-MM-DD, rich text and formulas by their text. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: unknown };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('').trim();
    if ('result' in v) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
  }
  return '';
}

/**
 * exceljs 4.4's streaming reader decodes each inflated chunk of the sheet and shared-string XML on its own
 * (lib/utils/parse-sax.js), so a CJK character cut by a chunk boundary turns into U+FFFD — about one cell in a
 * thousand of a Chinese 采集表 (exceljs issues #2063, #2084; fixes #1665, #2894 unmerged). This reader hands the
 * parser text decoded across chunk boundaries instead (a streaming TextDecoder; the shared strings through the
 * entry's own setEncoding, the fix #2084 proposes), without touching the package.
 */
async function* utf8Text(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (text !== '') yield text;
  }
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}
const ExcelWorkbookReader = ExcelJS.stream.xlsx.WorkbookReader as unknown as new (input: unknown, options: unknown) => any;
const DATE_FORMAT = /[ymdhMsb]+/;

/** A worksheet as the import reads it: its rows, scanned from the sheet XML (sheet-xml.ts), one chunk at a time. */
class ScannedWorksheet {
  constructor(
    private readonly chunks: AsyncIterable<string>,
    private readonly ctx: SheetXmlContext,
  ) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<SheetXmlRow> {
    const scanner = new SheetXmlScanner(this.ctx);
    for await (const chunk of this.chunks) yield* scanner.push(chunk);
  }
}

/**
 * exceljs's streaming WorkbookReader for the container (zip entries, shared strings, styles, workbook
 * properties); the sheet itself through ScannedWorksheet instead of exceljs's WorksheetReader, whose per-cell
 * SAX events, Cell and Row objects cost more than deciding and appending the row (sheet-xml.ts).
 */
class ImportWorkbookReader extends ExcelWorkbookReader {
  /**
   * `sheetsLast`: the zip's worksheets come after its other parts (zip-entry-order.ts), so when a sheet arrives
   * the shared strings, if the workbook has any, are cached already. exceljs parses a sheet as it streams only
   * once it holds a shared-string table; a workbook without one (inline strings: the template, the export) gets
   * an empty table up front instead of its sheet going through a temporary file.
   */
  constructor(input: unknown, options: unknown, sheetsLast: boolean) {
    super(input, options);
    if (sheetsLast) this.sharedStrings = [];
  }

  *_parseWorksheet(iterator: AsyncIterable<Buffer>, sheetNo: number): Generator<unknown> {
    this._emitEntry({ type: 'worksheet', id: sheetNo });
    const dateStyles = new Map<number, boolean>();
    const ctx: SheetXmlContext = {
      sharedString: (index) => (this.sharedStrings as unknown[] | undefined)?.[index],
      isDateStyle: (styleId) => {
        let known = dateStyles.get(styleId);
        if (known === undefined) {
          // As exceljs decides it (utils.isDateFmt): date letters outside quotes and [] in the number format.
          const fmt = (this.styles.getStyleModel(styleId) as { numFmt?: string } | null)?.numFmt;
          known = typeof fmt === 'string' && DATE_FORMAT.test(fmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
          dateStyles.set(styleId, known);
        }
        return known;
      },
      date1904: Boolean((this.properties as { model?: { date1904?: boolean } } | undefined)?.model?.date1904),
      text: cellText,
    };
    yield { eventType: 'worksheet', value: new ScannedWorksheet(utf8Text(iterator), ctx) };
  }
  _parseSharedStrings(entry: { setEncoding(e: string): void }): AsyncGenerator<unknown> {
    entry.setEncoding('utf8');
    return super._parseSharedStrings(entry);
  }
}

const byName = new Map<string, ColumnKey>();
for (const c of TEMPLATE_COLUMNS) {
  byName.set(normalizeHeader(c.header), c.key);
  if (c.group) byName.set(`${normalizeHeader(c.group)}/${normalizeHeader(c.header)}`, c.key);
}
/** Columns known by the start of their header (the seed's long headers, with or without the hints in brackets). */
const byPrefix = TEMPLATE_COLUMNS.filter((c) => !c.group).map((c) => ({ key: c.key, prefix: normalizeHeader(c.header).split(/[(:]/)[0]! }));

function keyOf(group: string, header: string): ColumnKey | undefined {
  const h = normalizeHeader(header);
  const g = normalizeHeader(group);
  if (g !== '' && byName.has(`${g}/${h}`)) return byName.get(`${g}/${h}`);
  if (byName.has(h)) return byName.get(h);
  const stem = h.split(/[(:]/)[0]!;
  if (stem === '点位经纬度') return 'lat'; // one combined cell (row-input.ts reads "经度,纬度")
  return byPrefix.find((c) => c.prefix === stem)?.key;
}

/**
 * The column map from the header rows: the first row naming 种养殖主体名称, and the row under it when it holds
 * the sub-headers of the groups (省 / 市 / … under 基地地址; 纬度 / 经度 under 点位经纬度). A group header spans its
 * merged cells, so a sub-header belongs to the last group header at or left of it.
 */
export function columnMap(top: string[], sub: string[] | null): Map<number, ColumnKey> {
  const map = new Map<number, ColumnKey>();
  let group = '';
  const width = Math.max(top.length, sub?.length ?? 0);
  for (let i = 0; i < width; i++) {
    if ((top[i] ?? '') !== '') group = top[i]!;
    const under = sub?.[i] ?? '';
    const key = under !== '' ? keyOf(group, under) : (top[i] ?? '') !== '' ? keyOf('', top[i]!) : undefined;
    if (key && ![...map.values()].includes(key)) map.set(i, key);
  }
  return map;
}

const REQUIRED_HEADERS: ColumnKey[] = ['producerName', 'producerType', 'industry', 'product', 'lat', 'contactName', 'contactMobile', 'scaleAmount', 'scaleUnit', 'traceMethods', 'gridWorkerName', 'collectorName'];
const isSubHeaderRow = (cells: string[]) => cells.some((c) => ['省', '县', '乡(镇)', '村', '纬度', '经度'].includes(normalizeHeader(c)));
const EMPTY_CELLS = Object.fromEntries(TEMPLATE_COLUMNS.map((c) => [c.key, ''])) as RowCells;

/** Raw rows of the first sheet (XLSX, streamed: one row in memory at a time) or of the CSV file, as text cells. */
export async function* rawRows(file: string, format: SheetFormat, progress: ReadProgress): AsyncGenerator<{ row: number; cells: string[] }> {
  // An XLSX's zip entries with the worksheets last (zip-entry-order.ts): the sheet streams to the scanner.
  const zip = format === 'xlsx' ? zipWithSheetsLast(file) : null;
  const input = zip ? zip.stream : fs.createReadStream(file);
  progress.bytesTotal = fs.statSync(file).size;
  // No 'data' listener (it would start the flow before the parser reads): bytesRead is sampled at each row.
  try {
    if (format === 'csv') {
      let n = 0;
      for await (const record of csvRecords(input)) {
        progress.bytesRead = input.bytesRead;
        yield { row: ++n, cells: record.map((c) => c.trim()) };
      }
      return;
    }
    // Shared strings are cached by exceljs (Excel writes them); the template and the export write inline strings.
    const reader = new ImportWorkbookReader(input, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' }, zip!.sheetsLast) as unknown as AsyncIterable<ScannedWorksheet>;
    for await (const sheet of reader) {
      for await (const row of sheet) {
        progress.bytesRead = input.bytesRead;
        yield { row: row.number, cells: row.cells };
      }
      return; // the first sheet holds the table (the template's second sheet is the 备注)
    }
  } finally {
    input.destroy();
  }
}

/**
 * The data rows of an uploaded 采集表 with their row numbers; blank rows are skipped. A file whose header does
 * not name the required columns is refused as a whole (ValidationError naming the missing columns).
 */
export async function* sheetRows(file: string, format: SheetFormat, progress: ReadProgress = { bytesRead: 0, bytesTotal: 0 }): AsyncGenerator<SheetRow> {
  let map: Map<number, ColumnKey> | null = null;
  let top: string[] | null = null;
  for await (const { row, cells } of rawRows(file, format, progress)) {
    if (!map) {
      if (!top) {
        if (cells.some((c) => normalizeHeader(c).startsWith('种养殖主体名称'))) top = cells;
        else if (row > 10) throw new ValidationError('file', 'no header row naming 种养殖主体名称 in the first 10 rows (use the template)');
        continue;
      }
      const sub = isSubHeaderRow(cells) ? cells : null;
      map = columnMap(top, sub);
      const missing = REQUIRED_HEADERS.filter((k) => ![...map!.values()].includes(k));
      if (missing.length > 0) {
        const names = missing.map((k) => TEMPLATE_COLUMNS.find((c) => c.key === k)!.header);
        throw new ValidationError('file', `the header lacks the columns ${names.join(', ')}`, { missing: names });
      }
      if (sub) continue;
    }
    if (cells.every((c) => c === '')) continue;
    const out: RowCells = { ...EMPTY_CELLS };
    for (const [i, key] of map) out[key] = cells[i] ?? '';
    yield { row, cells: out };
  }
  if (!map) throw new ValidationError('file', top ? 'the file has a header row but no data rows' : 'no header row naming 种养殖主体名称 (use the template)');
}
