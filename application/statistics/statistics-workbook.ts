import ExcelJS from 'exceljs';
import { INDICATORS, RATE_INDICATORS, type Indicator } from './indicators';

/**
 * Every dashboard chart's data as an XLSX sheet (每个图表的数据可导出): the overview's cards and trend, a
 * breakdown's rows, or the flows. Headers in Chinese; rates as percentages with one decimal.
 */
export const INDICATOR_LABELS_ZH: Record<Indicator, string> = {
  entitiesApplied: '主体注册申请',
  entitiesApproved: '主体审核通过',
  lotsCreated: '批次',
  producedKg: '生产量（千克）',
  transfersConfirmed: '交接确认',
  confirmationRate: '交接确认率',
  certificates: '入市凭证',
  samples: '抽样',
  passRate: '合格率',
  failedResults: '不合格',
  warningsRaised: '风险预警',
  casesOpened: '立案',
  inspections: '巡查',
  lookups: '消费者查询',
};

type Values = Record<string, number | null>;

function sheetOf(book: ExcelJS.Workbook, name: string, keyHeader: string, rows: { key: string; name: string; values: Values }[]) {
  const sheet = book.addWorksheet(name);
  sheet.addRow([keyHeader, '名称', ...INDICATORS.map((k) => INDICATOR_LABELS_ZH[k])]);
  sheet.getRow(1).font = { bold: true };
  for (const r of rows) sheet.addRow([r.key, r.name, ...INDICATORS.map((k) => r.values[k] ?? null)]);
  INDICATORS.forEach((k, i) => {
    if (RATE_INDICATORS.has(k)) sheet.getColumn(i + 3).numFmt = '0.0%';
  });
  return sheet;
}

export interface OverviewExport {
  region: { code: string; name: string };
  range: { from: string; to: string };
  cards: { key: Indicator; value: number | null; previous: number | null; yearAgo: number | null; mom: number | null; yoy: number | null }[];
  trend: { points: { period: string; values: Values }[] };
  analytes: { code: string; tested: number; pass: number; fail: number; passRate: number | null }[];
}

export async function overviewWorkbook(o: OverviewExport): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const cards = book.addWorksheet('概览');
  cards.addRow([`${o.region.name}（${o.region.code || '全国'}）`, `${o.range.from} 至 ${o.range.to}`]);
  cards.addRow(['指标', '本期', '上期', '去年同期', '环比', '同比']);
  cards.getRow(2).font = { bold: true };
  for (const c of o.cards) cards.addRow([INDICATOR_LABELS_ZH[c.key], c.value, c.previous, c.yearAgo, c.mom, c.yoy]);
  cards.getColumn(5).numFmt = '0.0%';
  cards.getColumn(6).numFmt = '0.0%';
  sheetOf(book, '趋势', '期间', o.trend.points.map((p) => ({ key: p.period, name: p.period, values: p.values })));
  const analytes = book.addWorksheet('检测项');
  analytes.addRow(['检测项', '检测数', '合格', '不合格', '合格率']);
  analytes.getRow(1).font = { bold: true };
  for (const a of o.analytes) analytes.addRow([a.code, a.tested, a.pass, a.fail, a.passRate]);
  analytes.getColumn(5).numFmt = '0.0%';
  return Buffer.from(await book.xlsx.writeBuffer());
}

export async function breakdownWorkbook(b: { by: string; rows: { key: string; name: string; values: Values }[] }): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const header = b.by === 'region' ? '区划代码' : b.by === 'product' ? '产品' : '月份';
  sheetOf(book, b.by === 'region' ? '按地区' : b.by === 'product' ? '按产品' : '按月份', header, b.rows);
  return Buffer.from(await book.xlsx.writeBuffer());
}

export async function flowsWorkbook(f: { kind: string; level: string; rows: { from: string; fromName: string; to: string; toName: string; moves: number; kg: number; counts: Record<string, number> }[] }): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(f.kind === 'market' ? '产地到市场' : '产品流向');
  const units = [...new Set(f.rows.flatMap((r) => Object.keys(r.counts)))].sort();
  sheet.addRow(['起点代码', '起点', '终点代码', '终点', '次数', '数量（千克）', ...units]);
  sheet.getRow(1).font = { bold: true };
  for (const r of f.rows) sheet.addRow([r.from, r.fromName, r.to, r.toName, r.moves, r.kg, ...units.map((u) => r.counts[u] ?? 0)]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** 数据传输监控 as XLSX: the region's totals, then one row per sub-region, client, day or month as asked. */
export async function uploadsWorkbook(u: import('./upload-queries').UploadMonitoring): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('数据传输监控');
  const share = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);
  const keyHeader = u.by === 'client' ? '客户端（机构）' : u.by === 'region' ? '地区代码' : '日期';
  sheet.addRow([keyHeader, '名称', '总数据量', '有效数据量', '问题数据量', '补传/重传', '有效率（%）', ...(u.by === 'day' || u.by === 'month' ? ['累计上传'] : [])]);
  sheet.getRow(1).font = { bold: true };
  sheet.addRow([u.region.code || '全国', `${u.region.name}（合计）`, u.totals.items, u.totals.valid, u.totals.problems, u.totals.resent, share(u.totals.validRate)]);
  for (const r of u.rows as { key: string; name: string; items: number; valid: number; problems: number; resent: number; validRate: number | null; cumulative?: number }[])
    sheet.addRow([r.key, r.name, r.items, r.valid, r.problems, r.resent, share(r.validRate), ...(r.cumulative !== undefined ? [r.cumulative] : [])]);
  const codes = book.addWorksheet('问题类型');
  codes.addRow(['错误代码', '问题数据量']);
  codes.getRow(1).font = { bold: true };
  for (const [code, n] of Object.entries(u.totals.problemCodes).sort((a, b) => b[1] - a[1])) codes.addRow([code, n]);
  return Buffer.from(await book.xlsx.writeBuffer());
}
