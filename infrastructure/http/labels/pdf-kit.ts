import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { CjkFont } from './cjk-font';

export type Pdf = PDFKit.PDFDocument;

/** A pdfkit document with the CJK font registered as `cjk`; resolves to the finished bytes. */
export function renderPdf(size: [number, number], font: CjkFont, title: string, draw: (doc: Pdf) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size, margin: 0, info: { Title: title, Creator: 'Suyuan 溯源' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      // pdfkit subsets the font: only the glyphs used end up in the file (tens of KB, not the 20 MB collection).
      if (font.face) doc.registerFont('cjk', font.file, font.face);
      else doc.registerFont('cjk', font.file);
      draw(doc);
      doc.end();
    } catch (err) {
      reject(err);
    }
  });
}

/**
 * Draws a QR code as vector squares (sharp at any print resolution) with a quiet zone of 2 modules.
 * Error correction M: survives a scuffed label, still small enough for a long URL.
 */
export function drawQr(doc: Pdf, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const cell = size / (n + 4);
  doc.save().fillColor('black');
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++) if (qr.modules.get(r, c)) doc.rect(x + (c + 2) * cell, y + (r + 2) * cell, cell, cell);
  doc.fill().restore();
}

export const mm = (v: number) => (v * 72) / 25.4;
