/**
 * The rows of one SpreadsheetML worksheet (`xl/worksheets/sheetN.xml`), scanned from its text as it streams in.
 *
 * Why not exceljs's own WorksheetReader: for each cell it runs a SAX event, builds an event object, a Cell with
 * its style model and a Row — about 100 µs per row of the 25-column 采集表, more than deciding and appending the
 * row costs (bench/origin-import.ts). The container (zip, shared strings, styles, workbook properties) is still
 * read by exceljs's streaming WorkbookReader; only the sheet's `<sheetData>` is scanned here, for the four things
 * the import needs of a cell: its column, type, style (is it a date?) and text.
 *
 * A cell's text as exceljs + cellText would give it: shared and inline strings as written (every `<t>` run of a
 * rich inline string, phonetic runs left out), numbers in their shortest form, booleans as true / false, a date-
 * formatted number as YYYY-MM-DD, a formula by its cached result, an error cell empty.
 */

/** One row: its number (the `r` attribute, else one after the last) and its cells' text by column (0 = A). */
export interface SheetXmlRow {
  number: number;
  cells: string[];
}

export interface SheetXmlContext {
  /** The workbook's shared strings (xl/sharedStrings.xml), as exceljs caches them: text or { richText }. */
  sharedString(index: number): unknown;
  /** Whether style `s` formats numbers as dates. */
  isDateStyle(styleId: number): boolean;
  date1904: boolean;
  /** Text of a shared string or other cell value (the caller's cellText). */
  text(value: unknown): string;
}

const ENTITY = /&(?:#x([0-9a-fA-F]+)|#(\d+)|(lt|gt|amp|quot|apos));/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML character references and the five predefined entities, decoded once. */
export function xmlText(raw: string): string {
  if (raw.indexOf('&') < 0) return raw;
  return raw.replace(ENTITY, (_m, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (name) return NAMED[name]!;
    const code = hex ? parseInt(hex, 16) : Number(dec);
    return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

/** `A` → 0, `Z` → 25, `AA` → 26: the column letters of a cell reference like `AB12`. */
function columnOf(ref: string): number {
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
  }
  return i === 0 ? -1 : col - 1;
}

const ATTRIBUTE = /([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
function attributes(source: string): Record<string, string> {
  const out: Record<string, string> = {};
  ATTRIBUTE.lastIndex = 0;
  for (let m = ATTRIBUTE.exec(source); m; m = ATTRIBUTE.exec(source)) out[m[1]!] = m[2] ?? m[3] ?? '';
  return out;
}

// Tags may carry a namespace prefix (`<x:c>` from the Open XML SDK); `\b` would also match `<cols>`, hence (?=[\s/>]).
const ROW_OPEN = /<(?:[A-Za-z_][\w.-]*:)?row(?=[\s/>])([^>]*?)(\/?)>/g;
const CELL_OPEN = /<(?:[A-Za-z_][\w.-]*:)?c(?=[\s/>])([^>]*?)(\/?)>/g;
const CELL_CLOSE = /<\/(?:[A-Za-z_][\w.-]*:)?c>/g;
const VALUE = /<(?:[A-Za-z_][\w.-]*:)?v(?:\s[^>]*)?>([\s\S]*?)<\/(?:[A-Za-z_][\w.-]*:)?v>/;
const FORMULA = /<(?:[A-Za-z_][\w.-]*:)?f(?=[\s/>])/;
const INLINE = /<(?:[A-Za-z_][\w.-]*:)?is(?:\s[^>]*)?>([\s\S]*?)<\/(?:[A-Za-z_][\w.-]*:)?is>/;
const PHONETIC = /<(?:[A-Za-z_][\w.-]*:)?rPh(?=[\s>])[\s\S]*?<\/(?:[A-Za-z_][\w.-]*:)?rPh>/g;
const RUN_TEXT = /<(?:[A-Za-z_][\w.-]*:)?t(?:\s[^>]*)?>([\s\S]*?)<\/(?:[A-Za-z_][\w.-]*:)?t>/g;
const SHEET_DATA_OPEN = /<(?:[A-Za-z_][\w.-]*:)?sheetData(?=[\s/>])[^>]*?(\/?)>/;
const SHEET_DATA_CLOSE = /<\/(?:[A-Za-z_][\w.-]*:)?sheetData>/;

function excelDate(serial: number, date1904: boolean): string {
  const ms = Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000);
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10);
}

function number(text: string): string {
  const n = parseFloat(text);
  return Number.isNaN(n) ? '' : String(n);
}

/** One `<c>`: its attributes and inner XML → its text. */
function cellValue(attrs: Record<string, string>, inner: string, ctx: SheetXmlContext): string {
  const type = attrs.t ?? 'n';
  if (type === 'inlineStr') {
    const is = INLINE.exec(inner);
    if (is) {
      let text = '';
      RUN_TEXT.lastIndex = 0;
      const runs = is[1]!.replace(PHONETIC, '');
      for (let m = RUN_TEXT.exec(runs); m; m = RUN_TEXT.exec(runs)) text += m[1];
      return xmlText(text).trim();
    }
  }
  const v = VALUE.exec(inner);
  if (!v) return '';
  const raw = v[1]!;
  if (FORMULA.test(inner)) return type === 'str' ? xmlText(raw).trim() : type === 'b' ? String(parseInt(raw, 10) !== 0) : type === 'e' ? '' : number(raw);
  switch (type) {
    case 's':
      return ctx.text(ctx.sharedString(parseInt(raw, 10)));
    case 'inlineStr':
    case 'str':
      return xmlText(raw).trim();
    case 'b':
      return String(parseInt(raw, 10) !== 0);
    case 'e':
      return '';
    case 'd': {
      const t = Date.parse(raw);
      return Number.isNaN(t) ? '' : new Date(t).toISOString().slice(0, 10);
    }
    default: {
      const style = attrs.s === undefined ? 0 : parseInt(attrs.s, 10);
      if (style > 0 && ctx.isDateStyle(style)) {
        const n = parseFloat(raw);
        return Number.isNaN(n) ? '' : excelDate(n, ctx.date1904);
      }
      return number(raw);
    }
  }
}

/** The cells of one row's inner XML. */
function rowCells(inner: string, ctx: SheetXmlContext): string[] {
  const cells: string[] = [];
  let col = -1;
  CELL_OPEN.lastIndex = 0;
  for (let m = CELL_OPEN.exec(inner); m; m = CELL_OPEN.exec(inner)) {
    const attrs = attributes(m[1]!);
    const at = attrs.r === undefined ? -1 : columnOf(attrs.r);
    col = at >= 0 ? at : col + 1;
    let body = '';
    if (m[2] !== '/') {
      CELL_CLOSE.lastIndex = CELL_OPEN.lastIndex;
      const close = CELL_CLOSE.exec(inner);
      const end = close ? close.index : inner.length;
      body = inner.slice(CELL_OPEN.lastIndex, end);
      CELL_OPEN.lastIndex = close ? CELL_CLOSE.lastIndex : inner.length;
    }
    const text = body === '' ? '' : cellValue(attrs, body, ctx);
    while (cells.length < col) cells.push('');
    cells[col] = text;
  }
  return cells;
}

/**
 * Feeds the sheet XML text chunk by chunk and returns the rows whose end tag has arrived; holds at most one
 * partial row between chunks (memory flat in the number of rows). Each call scans synchronously, so the
 * module's regular expressions are never shared by two scans at once.
 */
export class SheetXmlScanner {
  private buffer = '';
  private state: 'before' | 'rows' | 'after' = 'before';
  private lastRow = 0;

  constructor(private readonly ctx: SheetXmlContext) {}

  push(chunk: string): SheetXmlRow[] {
    if (this.state === 'after') return [];
    this.buffer += chunk;
    if (this.state === 'before') {
      const open = SHEET_DATA_OPEN.exec(this.buffer);
      if (!open) {
        // Keep only a tail that could hold the start of the tag (the columns and views before it are skipped).
        if (this.buffer.length > 4096) this.buffer = this.buffer.slice(-256);
        return [];
      }
      if (open[1] === '/') {
        this.state = 'after';
        this.buffer = '';
        return [];
      }
      this.state = 'rows';
      this.buffer = this.buffer.slice(open.index + open[0].length);
    }
    return this.rows();
  }

  private rows(): SheetXmlRow[] {
    const out: SheetXmlRow[] = [];
    const buf = this.buffer;
    const close = SHEET_DATA_CLOSE.exec(buf);
    const closeAt = close ? close.index : Infinity;
    let consumed = 0;
    ROW_OPEN.lastIndex = 0;
    for (;;) {
      const m = ROW_OPEN.exec(buf);
      if (!m || m.index > closeAt) {
        if (close) {
          this.state = 'after';
          this.buffer = '';
          return out;
        }
        break;
      }
      const attrs = attributes(m[1]!);
      const r = attrs.r === undefined ? NaN : parseInt(attrs.r, 10);
      const rowNumber = Number.isNaN(r) ? this.lastRow + 1 : r;
      if (m[2] === '/') {
        this.lastRow = rowNumber;
        consumed = ROW_OPEN.lastIndex;
        out.push({ number: rowNumber, cells: [] });
        continue;
      }
      const prefix = /^<([A-Za-z_][\w.-]*:)?/.exec(m[0])![1] ?? '';
      const endTag = `</${prefix}row>`;
      const end = buf.indexOf(endTag, ROW_OPEN.lastIndex);
      if (end < 0) {
        consumed = m.index;
        break; // the rest of this row is in the next chunk
      }
      const inner = buf.slice(ROW_OPEN.lastIndex, end);
      this.lastRow = rowNumber;
      consumed = end + endTag.length;
      out.push({ number: rowNumber, cells: rowCells(inner, this.ctx) });
      ROW_OPEN.lastIndex = consumed;
    }
    this.buffer = buf.slice(consumed);
    return out;
  }
}
