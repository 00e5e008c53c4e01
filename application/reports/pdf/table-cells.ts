/**
 * Single-line table cells written straight into the page's content stream: one text object (BT … ET) per call,
 * one text matrix and one TJ per cell, with the current font and size. The chain table of a 1,000-lot recall
 * is ≈ 10,000 cells plus as many in the recall table; through `doc.text` each cell paid pdfkit's option
 * handling, its line splitting, two width measurements and a graphics-state save/restore of its own (about
 * half of the PDF's time once the font's shaping bypass had removed the rest, decision 0014 "Performance").
 *
 * The glyphs come from pdfkit's own font object (`encode`: the same layout, the same subset and ToUnicode
 * entries as `doc.text`), and the TJ array is built exactly as pdfkit's `_fragment` builds it for left-aligned
 * text with no spacing options, so the page draws and extracts (pdftotext) the same as before. A cell whose
 * glyphs carry x/y offsets (marks positioned by GPOS) is handed to `doc.text`, which knows how to move for them.
 *
 * It reads pdfkit 0.20's document internals (`_font`, `_fontSize`, `page.fonts`, `addContent`): pinned in
 * package.json, and checked by tests/unit/application/reports/table-cells.spec.ts against `doc.text`'s output.
 */
export interface Cell {
  text: string;
  x: number;
  y: number;
}

interface Position {
  xAdvance: number;
  xOffset: number;
  yOffset: number;
  advanceWidth: number;
}
interface PdfkitFont {
  id: string;
  ascender: number;
  encode(text: string, features?: unknown): [string[], Position[]];
  ref(): unknown;
}
interface PdfkitInternals {
  _font?: PdfkitFont;
  _fontSize: number;
  page: { height: number; fonts: Record<string, unknown> };
  addContent(data: string): unknown;
}

/** pdfkit's number formatting in content streams (PDFObject.number). */
const num = (n: number) => Math.round(n * 1e6) / 1e6;

/** Draws each cell's text at (x, y) as `doc.text(text, x, y, { lineBreak: false })` would, top-left anchored. */
export function drawCells(doc: PDFKit.PDFDocument, cells: readonly Cell[]): void {
  const d = doc as unknown as PdfkitInternals;
  const font = d._font;
  if (!font || typeof font.encode !== 'function') {
    for (const c of cells) doc.text(c.text, c.x, c.y, { lineBreak: false });
    return;
  }
  const size = d._fontSize;
  const height = d.page.height;
  // pdfkit's default baseline ('top'): the glyphs hang from y by the font's ascender.
  const dy = (font.ascender / 1000) * size;
  const ops: string[] = [];
  const positioned: Cell[] = [];
  for (const c of cells) {
    const text = c.text.replace(/\n/g, '');
    if (text.length === 0) continue;
    const [encoded, positions] = font.encode(text);
    if (positions.some((p) => p.xOffset || p.yOffset)) {
      positioned.push(c);
      continue;
    }
    // _fragment's TJ: a segment ends after each glyph whose advance differs from its width (kerning).
    const commands: string[] = [];
    let last = 0;
    const segment = (cur: number) => {
      if (last < cur) commands.push(`<${encoded.slice(last, cur).join('')}> ${num(-(positions[cur - 1]!.xAdvance - positions[cur - 1]!.advanceWidth))}`);
      last = cur;
    };
    for (let i = 0; i < positions.length; i++) if (positions[i]!.xAdvance - positions[i]!.advanceWidth !== 0) segment(i + 1);
    segment(positions.length);
    if (commands.length === 0) continue;
    ops.push(`1 0 0 1 ${num(c.x)} ${num(height - c.y - dy)} Tm`, `[${commands.join(' ')}] TJ`);
  }
  if (ops.length > 0) {
    if (d.page.fonts[font.id] == null) d.page.fonts[font.id] = font.ref();
    doc.save();
    doc.transform(1, 0, 0, -1, 0, height);
    d.addContent('BT');
    d.addContent(`/${font.id} ${num(size)} Tf`);
    d.addContent(ops.join('\n'));
    d.addContent('ET');
    doc.restore();
  }
  // Offsets need a text matrix per positioned glyph: doc.text draws those cells.
  for (const c of positioned) doc.text(c.text, c.x, c.y, { lineBreak: false });
}
