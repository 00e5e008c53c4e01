import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A minimal SpreadsheetML (Office Open XML) workbook writer for data sheets: inline strings and numbers, a
 * frozen header row with an auto filter, no styles beyond the default, in a ZIP container. The FSMA 204 export
 * is ≈ 60,000 cells for a 1,000-lot recall; exceljs's streaming writer built a cell model, an XML node and a
 * stream write per cell (≈ 0.35 s of CPU a workbook, the largest report after the PDF's fixes); this writes each
 * row as one string. What it writes is what exceljs wrote with `useSharedStrings: false, useStyles: false`, and
 * tests/unit/application/reports/fsma-workbook.spec.ts reads it back with exceljs.
 */
export type XlsxCell = string | number | null | undefined;

export interface XlsxSheet {
  name: string;
  rows: readonly (readonly XlsxCell[])[];
  /** Freeze the first row and put an auto filter over it. */
  header?: boolean;
}

export interface XlsxProperties {
  creator: string;
  created: string;
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** XML text: the five entities escaped, characters XML 1.0 forbids dropped (as exceljs's xmlEncode does). */
function xmlText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[<>&'"\x7F\x00-\x08\x0B-\x0C\x0E-\x1F]/g, (c) => {
    switch (c) {
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '&':
        return '&amp;';
      case "'":
        return '&apos;';
      case '"':
        return '&quot;';
      default:
        return '';
    }
  });
}

/** A, B, …, Z, AA, … for column index 0, 1, … */
export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** A text cell's type and content, by text: a workbook repeats its names, places and units thousands of times. */
type TextCells = Map<string, string>;
function textCell(text: string, cells: TextCells): string {
  let xml = cells.get(text);
  if (xml === undefined) {
    const escaped = xmlText(text);
    xml = /^\s|\s$/.test(escaped) ? ` t="inlineStr"><is><t xml:space="preserve">${escaped}</t></is></c>` : ` t="inlineStr"><is><t>${escaped}</t></is></c>`;
    cells.set(text, xml);
  }
  return xml;
}

function sheetXml(sheet: XlsxSheet, cells: TextCells): string {
  const width = sheet.rows.reduce((w, r) => Math.max(w, r.length), 0);
  const columns = Array.from({ length: Math.max(width, 1) }, (_, i) => columnName(i));
  const parts: string[] = [`${XML}<worksheet xmlns="${MAIN}" xmlns:r="${REL}">`];
  if (sheet.rows.length > 0 && width > 0) parts.push(`<dimension ref="A1:${columns[width - 1]}${sheet.rows.length}"/>`);
  parts.push(
    sheet.header
      ? '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
      : '<sheetViews><sheetView workbookViewId="0"/></sheetViews>',
  );
  parts.push('<sheetFormatPr defaultRowHeight="15"/><sheetData>');
  sheet.rows.forEach((row, r) => {
    const n = r + 1;
    let xml = `<row r="${n}">`;
    for (let c = 0; c < row.length; c++) {
      const v = row[c];
      if (v === null || v === undefined) continue;
      const ref = `${columns[c]}${n}`;
      if (typeof v === 'number') {
        if (Number.isFinite(v)) xml += `<c r="${ref}"><v>${v}</v></c>`;
        continue;
      }
      xml += `<c r="${ref}"${textCell(v, cells)}`;
    }
    parts.push(`${xml}</row>`);
  });
  parts.push('</sheetData>');
  if (sheet.header && width > 0) parts.push(`<autoFilter ref="A1:${columns[width - 1]}1"/>`);
  parts.push('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>');
  return parts.join('');
}

/** A sheet name as a formula reference: quoted, inner quotes doubled. */
const quotedSheet = (name: string) => `'${name.replace(/'/g, "''")}'`;

function workbookParts(sheets: readonly XlsxSheet[], props: XlsxProperties): [string, string][] {
  const cells: TextCells = new Map();
  const n = sheets.length;
  const ids = sheets.map((_, i) => i + 1);
  const filters = sheets
    .map((s, i) => {
      const width = s.rows.reduce((w, r) => Math.max(w, r.length), 0);
      return s.header && width > 0 ? `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">${xmlText(quotedSheet(s.name))}!$A$1:$${columnName(width - 1)}$1</definedName>` : '';
    })
    .join('');
  return [
    [
      '[Content_Types].xml',
      `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${ids.map((i) => `<Override PartName="/xl/worksheets/sheet${i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>`,
    ],
    [
      '_rels/.rels',
      `${XML}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="${REL}/extended-properties" Target="docProps/app.xml"/></Relationships>`,
    ],
    [
      'docProps/app.xml',
      `${XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Suyuan</Application></Properties>`,
    ],
    [
      'docProps/core.xml',
      `${XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>${xmlText(props.creator)}</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">${xmlText(props.created)}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${xmlText(props.created)}</dcterms:modified></cp:coreProperties>`,
    ],
    [
      'xl/workbook.xml',
      `${XML}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><bookViews><workbookView/></bookViews><sheets>${sheets.map((s, i) => `<sheet name="${xmlText(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets>${filters ? `<definedNames>${filters}</definedNames>` : ''}</workbook>`,
    ],
    [
      'xl/_rels/workbook.xml.rels',
      `${XML}<Relationships xmlns="${PKG_REL}">${ids.map((i) => `<Relationship Id="rId${i}" Type="${REL}/worksheet" Target="worksheets/sheet${i}.xml"/>`).join('')}<Relationship Id="rId${n + 1}" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
    ],
    [
      'xl/styles.xml',
      `${XML}<styleSheet xmlns="${MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`,
    ],
    ...sheets.map((s, i): [string, string] => [`xl/worksheets/sheet${i + 1}.xml`, sheetXml(s, cells)]),
  ];
}

/** The workbook as .xlsx bytes. */
export function xlsxWorkbook(sheets: readonly XlsxSheet[], props: XlsxProperties): Buffer {
  return zip(workbookParts(sheets, props).map(([name, xml]) => [name, Buffer.from(xml, 'utf8')]), new Date(props.created));
}

/** MS-DOS date and time of `d` (local fields as UTC: a ZIP entry's time has no zone). */
function dosDateTime(d: Date): [number, number] {
  const t = Number.isNaN(d.getTime()) ? new Date(Date.UTC(1980, 0, 1)) : d;
  const year = Math.min(Math.max(t.getUTCFullYear(), 1980), 2107);
  return [((year - 1980) << 9) | ((t.getUTCMonth() + 1) << 5) | t.getUTCDate(), (t.getUTCHours() << 11) | (t.getUTCMinutes() << 5) | Math.floor(t.getUTCSeconds() / 2)];
}

/**
 * A ZIP archive (PKWARE APPNOTE 6.3: local headers, deflated data, central directory), UTF-8 names (flag bit 11).
 * Every part here is far below 4 GiB, so no ZIP64.
 */
function zip(entries: [string, Buffer][], when: Date): Buffer {
  const [date, time] = dosDateTime(when);
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    // Level 1: the sheets are ≈ 10× their compressed size of repetitive XML; zlib's default level 6 took 3× the
    // time (≈ 0.3 s of CPU a workbook, more than writing the XML) for a file ≈ 25 % smaller.
    const packed = deflateRawSync(data, { level: 1 });
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4); // made by: 2.0, MS-DOS attributes
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(8, 10);
    header.writeUInt16LE(time, 12);
    header.writeUInt16LE(date, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(packed.length, 20);
    header.writeUInt32LE(data.length, 24);
    header.writeUInt16LE(nameBytes.length, 28);
    header.writeUInt32LE(offset, 42);
    central.push(header, nameBytes);
    chunks.push(local, nameBytes, packed);
    offset += 30 + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, directory, end]);
}
