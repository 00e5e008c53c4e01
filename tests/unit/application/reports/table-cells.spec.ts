import { pdftotextAvailable } from './support/pdftotext';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import PDFDocument from 'pdfkit';
import { reportFont } from '../../../../application/reports/pdf/report-font';
import { drawCells, type Cell } from '../../../../application/reports/pdf/table-cells';
import { findCjkFont } from '../../../../infrastructure/http/labels/cjk-font';

/**
 * drawCells writes table cells into the content stream itself; a page drawn with it must read exactly like the
 * same page drawn with `doc.text(…, { lineBreak: false })`: the same words at the same places (pdftotext -bbox,
 * which also proves the glyphs map back to the right characters), and the same glyphs in the same TJ arrays.
 */
const font = findCjkFont();
const pdftotext = pdftotextAvailable();
if (!font) console.warn('\n!!! SKIPPED table cells: no CJK font (apt-get install fonts-noto-cjk or set LABEL_FONT_FILE) !!!\n');
if (!pdftotext) console.warn('\n!!! table cells: pdftotext (poppler-utils) absent, the position comparison is SKIPPED !!!\n');

// Chinese names, Crockford trace codes (kerned and `locl`-substituted Latin), dates, numbers, a word with a mark.
const TEXTS = ['4690272609307KMQX0001ABCM', '海南省乐东黎族自治县丰绿合作社12', '张丰绿 13812345678', '26-09-30 08:00', '产 2026-09-30', '合格停', 'AVAWTo Ta.', '109300', '—', 'e\u0301te\u0301'];
const CELLS: Cell[] = TEXTS.flatMap((text, row) => [0, 1].map((col) => ({ text, x: 40 + col * 260, y: 60 + row * 14 })));

function render(draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 40, compress: false, info: { CreationDate: new Date(0) } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.registerFont('cjk', reportFont(font!.file, font!.face) as unknown as PDFKit.Mixins.PDFFontSource);
    doc.font('cjk').fontSize(7);
    draw(doc);
    doc.end();
  });
}

const tjArrays = (pdf: Buffer) => pdf.toString('latin1').match(/\[[^\]]*\] TJ/g) ?? [];

function words(pdf: Buffer): string[] {
  const file = path.join(os.tmpdir(), `table-cells-${process.pid}-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, pdf);
  try {
    const html = execFileSync('pdftotext', ['-bbox', file, '-']).toString('utf8');
    return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => m.slice(1).join(' '));
  } finally {
    fs.rmSync(file);
  }
}

(font ? describe : describe.skip)('table cells written into the content stream', () => {
  it('gives the TJ arrays doc.text gives, cell by cell', async () => {
    const viaText = await render((doc) => CELLS.forEach((c) => doc.text(c.text, c.x, c.y, { lineBreak: false })));
    const viaCells = await render((doc) => drawCells(doc, CELLS));
    const expected = tjArrays(viaText);
    expect(expected.length).toBeGreaterThanOrEqual(CELLS.length);
    expect(tjArrays(viaCells)).toEqual(expected);
  });

  (pdftotext ? it : it.skip)('places every word where doc.text places it, and pdftotext reads it back', async () => {
    const viaText = words(await render((doc) => CELLS.forEach((c) => doc.text(c.text, c.x, c.y, { lineBreak: false }))));
    const viaCells = words(await render((doc) => drawCells(doc, CELLS)));
    expect(viaText.some((w) => w.endsWith('4690272609307KMQX0001ABCM'))).toBe(true);
    expect(viaText.some((w) => w.endsWith('海南省乐东黎族自治县丰绿合作社12'))).toBe(true);
    expect(viaCells).toEqual(viaText);
  });

  (pdftotext ? it : it.skip)('leaves the document where doc.text can go on: graphics state balanced, text after it readable', async () => {
    const pdf = await render((doc) => {
      drawCells(doc, CELLS.slice(0, 2));
      doc.text('之后的段落', 40, 300);
    });
    const ops = pdf.toString('latin1');
    expect((ops.match(/^q$/gm) ?? []).length).toBe((ops.match(/^Q$/gm) ?? []).length);
    expect(words(pdf).map((w) => w.split(' ').pop()).sort()).toEqual(['4690272609307KMQX0001ABCM', '4690272609307KMQX0001ABCM', '之后的段落'].sort());
  });
});
