import { displayTraceCode } from '../../../domain/lots';
import { UNIT_LABELS_ZH, type Unit } from '../../../domain/shared/quantity';
import { regionName } from '../../../domain/shared/region-codes';
import type { CjkFont } from './cjk-font';
import { drawQr, mm, renderPdf } from './pdf-kit';

export interface LabelLot {
  traceCode: string;
  product: string;
  quantity: { amount: number };
  unit: string;
  productionDate: string;
  holder: { name: string; eid?: string | null; regionCode: string };
  base: { name: string; regionCode: string };
}

export const lookupUrl = (publicUrl: string, traceCode: string) => `${publicUrl}/t/${traceCode}`;

/**
 * 追溯标签: a 100 × 60 mm label (a common thermal-printer size) with the QR of the public lookup URL,
 * what the lot is and the trace code printed in its grouped form for people who type it in.
 */
export function renderLotLabel(lot: LabelLot, publicUrl: string, font: CjkFont): Promise<Buffer> {
  const url = lookupUrl(publicUrl, lot.traceCode);
  const [w, h] = [mm(100), mm(60)];
  return renderPdf([w, h], font, `追溯标签 ${lot.traceCode}`, (doc) => {
    const pad = mm(4);
    const qr = mm(38);
    doc.rect(mm(1.5), mm(1.5), w - mm(3), h - mm(3)).lineWidth(0.8).stroke('#1a7f5a');
    drawQr(doc, url, pad - mm(1), pad, qr);
    doc.font('cjk').fontSize(7).fillColor('#333').text('扫码查询产品来源', pad, pad + qr + mm(0.5), { width: qr - mm(2), align: 'center' });

    const x = pad + qr + mm(2);
    const tw = w - x - pad;
    doc.font('cjk').fontSize(8).fillColor('#1a7f5a').text('农产品质量安全追溯标签', x, pad, { width: tw });
    doc.font('cjk').fontSize(15).fillColor('black').text(lot.product, x, pad + mm(4.5), { width: tw, lineBreak: false, ellipsis: true });
    const rows: [string, string][] = [
      ['数量', `${lot.quantity.amount} ${UNIT_LABELS_ZH[lot.unit as Unit] ?? lot.unit}`],
      ['生产日期', lot.productionDate],
      ['生产经营主体', lot.holder.name],
      ['产地', `${lot.base.name} · ${regionName(lot.base.regionCode) ?? lot.base.regionCode}`],
    ];
    let y = pad + mm(12);
    for (const [k, v] of rows) {
      doc.font('cjk').fontSize(6.5).fillColor('#666').text(k, x, y, { width: tw });
      doc.font('cjk').fontSize(7.5).fillColor('black').text(v, x, y + mm(2.6), { width: tw, height: mm(6), ellipsis: true });
      y = doc.y + mm(1);
    }
    doc.font('cjk').fontSize(6.5).fillColor('#666').text('追溯码', pad, h - pad - mm(8.5), { width: w - 2 * pad });
    doc.font('Courier-Bold').fontSize(11).fillColor('black').text(displayTraceCode(lot.traceCode), pad, h - pad - mm(5.5), { width: w - 2 * pad, characterSpacing: 0.3 });
    doc.font('Courier').fontSize(5.5).fillColor('#444').text(url, pad, h - pad - mm(1.5), { width: w - 2 * pad, lineBreak: false, ellipsis: true });
  });
}
