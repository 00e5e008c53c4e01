import ExcelJS from 'exceljs';
import type { TaskSummary } from '../../domain/monitoring';
import type { ReadDoc } from '../ports/read-store';
import type { ReadModels } from '../ports/read-models';
import { summarize } from '../monitoring/task-summary';

/**
 * 检测结果汇总表 as XLSX (seed 002, 第十七/十八条): one lab's samples of a task (its summary to the lead lab), or
 * all of them (the lead lab compiling the task's report). Three sheets: the counts, per analyte, per sample —
 * headers in Chinese, the verdict that counts (a re-test's when there was one), the pass rate as a percentage.
 */
const VERDICT_ZH: Record<string, string> = { pass: '合格', fail: '不合格', inconclusive: '无法判定' };

export interface LabSummaryExport {
  task: { taskId: string; title: string; standard: string | null };
  lab: string | null;
  summary: TaskSummary;
  samples: ReadDoc[];
}

export async function labSummaryExport(models: ReadModels, task: ReadDoc, lab: string | undefined): Promise<LabSummaryExport> {
  const samples = await models.find('samples', { taskId: task._id, ...(lab ? { labOrgId: lab } : {}) }, { sort: { sampledAt: 1 }, limit: 100_000 });
  const model = task.model as { standard?: string } | null | undefined;
  return { task: { taskId: task._id, title: String(task.title ?? ''), standard: model?.standard ?? null }, lab: lab ?? null, summary: summarize(samples), samples };
}

export async function labSummaryWorkbook(x: LabSummaryExport): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const s = x.summary;
  const head = book.addWorksheet('汇总');
  head.addRow(['监测任务', x.task.title]);
  head.addRow(['检测标准', x.task.standard ?? '']);
  head.addRow(['检测机构', x.lab ?? '全部承担单位']);
  head.addRow([]);
  head.addRow(['样品数', '已检测', '合格', '不合格', '无法判定', '合格率']);
  head.getRow(5).font = { bold: true };
  head.addRow([s.samples, s.tested, s.passed, s.failed, s.inconclusive, s.passRate]);
  head.getCell('F6').numFmt = '0.0%';

  const analytes = book.addWorksheet('检测项');
  analytes.addRow(['检测项代码', '检测项', '检测数', '检出数', '超标数']);
  analytes.getRow(1).font = { bold: true };
  for (const a of s.analytes) analytes.addRow([a.code, a.name, a.tested, a.detected, a.exceeded]);

  const rows = book.addWorksheet('样品');
  rows.addRow(['样品编号', '产品', '受检主体', '追溯码', '抽样时间', '检测机构', '判定', '不合格项目', '报告编号', '复检']);
  rows.getRow(1).font = { bold: true };
  for (const d of x.samples) {
    const subject = (d.subject ?? {}) as { entityName?: string };
    const standing = (d.retest ?? d.initial ?? {}) as { reportNo?: string | null };
    rows.addRow([
      d._id,
      cell(d.product),
      cell(subject.entityName),
      cell(d.traceCode),
      cell(d.sampledAt),
      cell(d.labOrgId),
      d.verdict ? (VERDICT_ZH[d.verdict as string] ?? String(d.verdict)) : '待检测',
      ((d.failed as string[] | undefined) ?? []).join('、'),
      cell(standing.reportNo ?? d.reportNo),
      d.retest ? '已复检' : d.retestRequest ? '复检中' : '',
    ]);
  }
  for (const sheet of [head, analytes, rows]) sheet.columns.forEach((c) => (c.width = 18));
  return Buffer.from(await book.xlsx.writeBuffer());
}

/**
 * A text cell as written: exceljs stores a string as a string (never a formula), and a leading = + - @ is
 * prefixed with ' so a spreadsheet that re-parses pasted text does not run it either.
 */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /^[=+\-@]/.test(text) ? `'${text}` : text;
}
