import { displayTraceCode } from '../../../domain/lots';
import { UNIT_LABELS_ZH, type Unit } from '../../../domain/shared/quantity';
import { regionName } from '../../../domain/shared/region-codes';
import type { CjkFont } from './cjk-font';
import type { LabelLot } from './lot-label';
import { drawQr, mm, renderPdf } from './pdf-kit';

export interface Certificate {
  certificateNo: string;
  market: { name: string; kind: string; regionCode: string };
  quantity: { amount: number; unit: string };
  qrPayload: string;
  issuedAt: string;
}

const MARKET_KINDS: Record<string, string> = { wholesale: '批发市场', retail: '零售市场', processor: '加工企业' };

/** China Standard Time, minutes: certificates are read by people in China. */
function cst(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ') + ' (UTC+8)';
}

/**
 * 入市追溯凭证 (seed 001): an A6 voucher that travels with the goods into the market; its QR (the payload
 * recorded in the ledger) opens the lot's public page with the certificate number.
 */
export function renderMarketEntryCertificate(lot: LabelLot, cert: Certificate, font: CjkFont): Promise<Buffer> {
  const [w, h] = [mm(105), mm(148)];
  return renderPdf([w, h], font, `入市追溯凭证 ${cert.certificateNo}`, (doc) => {
    const pad = mm(8);
    const tw = w - 2 * pad;
    doc.rect(mm(3), mm(3), w - mm(6), h - mm(6)).lineWidth(1).stroke('#1a7f5a');
    doc.font('cjk').fontSize(16).fillColor('#1a7f5a').text('入市追溯凭证', pad, pad, { width: tw, align: 'center' });
    doc.font('Courier').fontSize(8).fillColor('#444').text(`No. ${cert.certificateNo}`, pad, pad + mm(10), { width: tw, align: 'center' });
    const rows: [string, string][] = [
      ['产品', lot.product],
      ['入市数量', `${cert.quantity.amount} ${UNIT_LABELS_ZH[cert.quantity.unit as Unit] ?? cert.quantity.unit}`],
      ['入市场所', `${cert.market.name}（${MARKET_KINDS[cert.market.kind] ?? cert.market.kind}）`],
      ['场所所在地', regionName(cert.market.regionCode) ?? cert.market.regionCode],
      ['供货主体', `${lot.holder.name}${lot.holder.eid ? `（电子身份标识 ${lot.holder.eid}）` : ''}`],
      ['产地', `${lot.base.name} · ${regionName(lot.base.regionCode) ?? lot.base.regionCode}`],
      ['生产日期', lot.productionDate],
      ['开具时间', cst(cert.issuedAt)],
    ];
    let y = pad + mm(18);
    for (const [k, v] of rows) {
      doc.font('cjk').fontSize(7.5).fillColor('#666').text(k, pad, y, { width: mm(22) });
      doc.font('cjk').fontSize(9).fillColor('black').text(v, pad + mm(23), y, { width: tw - mm(23) });
      y = Math.max(doc.y, y + mm(4)) + mm(1.5);
    }
    const qr = mm(40);
    const qy = h - pad - qr - mm(14);
    drawQr(doc, cert.qrPayload, (w - qr) / 2, qy, qr);
    doc.font('cjk').fontSize(7).fillColor('#333').text('扫码核验凭证与产品来源', pad, qy + qr, { width: tw, align: 'center' });
    doc.font('cjk').fontSize(7).fillColor('#666').text('追溯码', pad, qy + qr + mm(4.5), { width: tw, align: 'center' });
    doc.font('Courier-Bold').fontSize(10).fillColor('black').text(displayTraceCode(lot.traceCode), pad, qy + qr + mm(8), { width: tw, align: 'center' });
  });
}
