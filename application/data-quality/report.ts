import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { CATEGORY_LABELS_ZH, SEVERITY_LABELS_ZH, type Category, type Severity } from '../../domain/data-quality';
import { reportFont } from '../reports/pdf/report-font';
import type { ReadModels } from '../ports/read-models';
import { allFindings, findingStatistics, regionScores, type FindingFilters, type RegionScore, type StatsRow } from './queries';

/**
 * 数据质量报告 (seed 004 §六(三) 追溯数据审核): the region's score and its sub-regions', problem counts by category
 * and by rule, and the open findings, as XLSX and as a Chinese PDF. The problem list alone is exportable too.
 */
export interface QualityReport {
  region: RegionScore;
  children: RegionScore[];
  generatedAt: string;
  byCategory: StatsRow[];
  byRule: StatsRow[];
  openFindings: Record<string, unknown>[];
}

/** How many open findings the PDF lists (the XLSX lists all). */
const PDF_FINDINGS = 200;

export async function buildQualityReport(models: ReadModels, region: string, now: Date): Promise<QualityReport> {
  const [scores, byCategory, byRule, openFindings] = await Promise.all([
    regionScores(models, region, now),
    findingStatistics(models, region, {}, 'category', 'month', now),
    findingStatistics(models, region, {}, 'rule', 'month', now),
    allFindings(models, region, { resolved: false }, now),
  ]);
  return { region: scores.region, children: scores.children, generatedAt: now.toISOString(), byCategory: byCategory.rows, byRule: byRule.rows, openFindings };
}

const categoryZh = (c: unknown) => CATEGORY_LABELS_ZH[c as Category] ?? String(c);
const severityZh = (s: unknown) => SEVERITY_LABELS_ZH[s as Severity] ?? String(s);

const FINDING_HEADERS = ['规则', '分类', '严重程度', '对象类型', '对象', '地区代码', '乡镇代码', '问题描述', '责任人', '联系电话', '首次发现', '状态', '解决时间'];
function findingRow(f: Record<string, unknown>): unknown[] {
  const subject = f.subject as { kind: string; id: string; name: string | null };
  const responsible = f.responsible as { name: string | null; phone: string | null } | null;
  return [f.ruleName, categoryZh(f.category), severityZh(f.severity), subject.kind, subject.name ?? subject.id, f.regionCode, f.townshipCode ?? '', f.message, responsible?.name ?? '', responsible?.phone ?? '', f.firstSeenAt, f.status === 'open' ? '未解决' : '已解决', f.resolvedAt ?? ''];
}

function addSheet(book: ExcelJS.Workbook, name: string, headers: string[], rows: unknown[][]) {
  const sheet = book.addWorksheet(name);
  sheet.addRow(headers);
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const r of rows) sheet.addRow(r);
  return sheet;
}

/** 问题数据明细 as XLSX (the list with the same filters). */
export async function findingsWorkbook(findings: Record<string, unknown>[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  addSheet(book, '问题数据', FINDING_HEADERS, findings.map(findingRow));
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** 问题数据统计 as XLSX (one row per group). */
export async function statisticsWorkbook(stats: { by: string; rows: StatsRow[] }): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  addSheet(book, '问题数据统计', ['分组', '名称', '问题总数', '未解决', '已解决', ...Object.values(CATEGORY_LABELS_ZH), ...Object.values(SEVERITY_LABELS_ZH)], stats.rows.map((r) => [r.key, r.name, r.total, r.open, r.resolved, ...Object.keys(CATEGORY_LABELS_ZH).map((c) => r.byCategory[c] ?? 0), ...Object.keys(SEVERITY_LABELS_ZH).map((s) => r.bySeverity[s] ?? 0)]));
  return Buffer.from(await book.xlsx.writeBuffer());
}

const scoreRow = (s: RegionScore) => [s.regionCode || '全国', s.name, s.subjects, s.open.high, s.open.medium, s.open.low, s.score];

export async function reportWorkbook(r: QualityReport): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const scoreHeaders = ['地区代码', '地区', '核查记录数', '严重问题', '一般问题', '轻微问题', '质量评分'];
  addSheet(book, '质量评分', scoreHeaders, [scoreRow(r.region), ...r.children.map(scoreRow)]);
  addSheet(book, '按分类', ['分类', '问题总数', '未解决', '已解决'], r.byCategory.map((c) => [categoryZh(c.key), c.total, c.open, c.resolved]));
  addSheet(book, '按规则', ['规则', '问题总数', '未解决', '已解决'], r.byRule.map((c) => [c.name, c.total, c.open, c.resolved]));
  addSheet(book, '未解决问题', FINDING_HEADERS, r.openFindings.map(findingRow));
  return Buffer.from(await book.xlsx.writeBuffer());
}

export async function reportPdf(r: QualityReport, font: { file: string; face?: string }): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: `数据质量报告 · ${r.region.name}`, Creator: 'Suyuan 溯源' } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', reportFont(font.file, font.face) as unknown as PDFKit.Mixins.PDFFontSource);
  doc.font('cjk');
  doc.fontSize(18).text(`数据质量报告：${r.region.name}`);
  doc.fontSize(9).fillColor('#555').text(`生成时间 ${r.generatedAt}（评分 = 100 ×（1 − 未解决问题加权数 ÷ 核查记录数），严重 1、一般 0.5、轻微 0.2）`).fillColor('black');
  doc.moveDown();
  doc.fontSize(12).text(`质量评分：${r.region.score ?? '—'}　核查记录 ${r.region.subjects} 条　未解决问题：严重 ${r.region.open.high}、一般 ${r.region.open.medium}、轻微 ${r.region.open.low}`);
  doc.moveDown(0.5);
  if (r.children.length > 0) {
    doc.fontSize(13).text('下级地区评分');
    doc.fontSize(9);
    for (const c of r.children) doc.text(`${c.name}（${c.regionCode}）　评分 ${c.score ?? '—'}　记录 ${c.subjects}　严重 ${c.open.high} · 一般 ${c.open.medium} · 轻微 ${c.open.low}`);
    doc.moveDown(0.5);
  }
  doc.fontSize(13).text('按清洗分类统计');
  doc.fontSize(9);
  for (const c of r.byCategory) doc.text(`${categoryZh(c.key)}：共 ${c.total}，未解决 ${c.open}，已解决 ${c.resolved}`);
  doc.moveDown(0.5);
  doc.fontSize(13).text('按规则统计');
  doc.fontSize(9);
  for (const c of r.byRule) doc.text(`${c.name}：共 ${c.total}，未解决 ${c.open}，已解决 ${c.resolved}`);
  doc.moveDown(0.5);
  doc.fontSize(13).text(`未解决问题明细${r.openFindings.length > PDF_FINDINGS ? `（前 ${PDF_FINDINGS} 条，共 ${r.openFindings.length} 条，全部见 XLSX）` : ''}`);
  doc.fontSize(8);
  for (const f of r.openFindings.slice(0, PDF_FINDINGS)) {
    const subject = f.subject as { id: string; name: string | null };
    const responsible = f.responsible as { name: string | null; phone: string | null } | null;
    doc.text(`[${severityZh(f.severity)}] ${f.ruleName} — ${subject.name ?? subject.id}（${f.regionCode}）：${f.message}；责任人 ${responsible?.name ?? '—'} ${responsible?.phone ?? ''}；发现于 ${String(f.firstSeenAt).slice(0, 10)}`);
  }
  doc.end();
  return done;
}

export type { FindingFilters };
