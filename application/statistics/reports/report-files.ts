import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { reportFont } from '../../reports/pdf/report-font';
import { formatChange, formatValue, type ReportContent } from './report-content';

/** A generated report as XLSX (one sheet per part, numbers as numbers) and as a Chinese PDF (A4). */
export async function reportWorkbook(r: ReportContent): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Suyuan 溯源';
  const sheet = (name: string, headers: string[], rows: unknown[][]) => {
    const s = book.addWorksheet(name);
    s.addRow(headers);
    s.getRow(1).font = { bold: true };
    s.views = [{ state: 'frozen', ySplit: 1 }];
    for (const row of rows) s.addRow(row);
    return s;
  };
  const summary = sheet('汇总', ['分项', '指标', '数值', '同比', '环比'], r.sections.flatMap((s) => s.lines.map((l) => [s.title, l.label.trim(), l.value, l.yoy ?? null, l.mom ?? null])));
  summary.insertRow(1, [r.title]);
  summary.insertRow(2, [`${r.region.name}（${r.region.code || '全国'}） ${r.period.from} 至 ${r.period.to}；生成时间 ${r.generatedAt}；综合评价 ${r.evaluation.score ?? '—'} ${r.evaluation.grade ?? ''}`]);
  summary.getRow(1).font = { bold: true, size: 14 };
  sheet('下级地区', ['地区代码', '地区', '批次', '抽样', '合格率', '综合得分', '评价等级'], r.children.map((c) => [c.code, c.name, c.lots, c.samples, c.passRate, c.score, c.grade ?? '']));
  sheet('按产品', ['产品', '批次', '产量（千克）', '入市凭证', '合格率'], r.products.map((p) => [p.product, p.lots, p.producedKg, p.certificates, p.passRate]));
  sheet('检测项', ['检测项', '检测数', '不合格', '合格率'], r.analytes.map((a) => [a.code, a.tested, a.fail, a.passRate]));
  return Buffer.from(await book.xlsx.writeBuffer());
}

export async function reportPdf(r: ReportContent, font: { file: string; face?: string }): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: r.title, Creator: 'Suyuan 溯源' } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', reportFont(font.file, font.face) as unknown as PDFKit.Mixins.PDFFontSource);
  doc.font('cjk');
  doc.fontSize(18).text(r.title, { align: 'center' });
  doc.fontSize(9).fillColor('#555').text(`统计期间 ${r.period.from} 至 ${r.period.to}　生成时间 ${r.generatedAt}　（同比：上年同期；环比：上一期）`, { align: 'center' }).fillColor('black');
  doc.moveDown();
  for (const s of r.sections) {
    doc.fontSize(13).text(s.title);
    doc.fontSize(10);
    for (const l of s.lines) {
      const changes = l.yoy !== undefined || l.mom !== undefined ? `　同比 ${formatChange(l.yoy)}　环比 ${formatChange(l.mom)}` : '';
      doc.text(`${l.label}：${formatValue(l.value, l.unit)}${changes}`);
    }
    doc.moveDown(0.5);
  }
  doc.fontSize(10).text(`评价等级：${r.evaluation.grade ?? '—'}（优秀 ≥ 90，良好 ≥ 80，达标 ≥ 60，其余不达标；无数据的指标不计入）`);
  doc.moveDown(0.5);
  if (r.children.length > 0) {
    doc.fontSize(13).text('七、下级地区');
    doc.fontSize(9);
    for (const c of r.children) doc.text(`${c.name}（${c.code}）　批次 ${formatValue(c.lots, 'count')}　抽样 ${formatValue(c.samples, 'count')}　合格率 ${formatValue(c.passRate, 'share')}　综合得分 ${c.score ?? '—'} ${c.grade ?? ''}`);
    doc.moveDown(0.5);
  }
  if (r.products.length > 0) {
    doc.fontSize(13).text('八、主要产品');
    doc.fontSize(9);
    for (const p of r.products.slice(0, 30)) doc.text(`${p.product}　批次 ${formatValue(p.lots, 'count')}　产量 ${formatValue(p.producedKg, 'kg')} 千克　入市凭证 ${formatValue(p.certificates, 'count')}　合格率 ${formatValue(p.passRate, 'share')}`);
  }
  doc.end();
  return done;
}
