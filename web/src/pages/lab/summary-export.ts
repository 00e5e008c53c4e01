import { t } from '../../i18n/i18n';
import type { MonitoringTask, Sample, TaskSummary } from './lab-api';

/**
 * 检测结果汇总表 as a spreadsheet file. The API has no export route for a task's summary (only statistics
 * and incident reports have XLSX downloads), so the table is written here as CSV — UTF-8 with a BOM, which
 * Excel and WPS open with the Chinese intact.
 */
export function summaryCsv(task: MonitoringTask, summary: TaskSummary, samples: Sample[]): string {
  const rows: (string | number | null)[][] = [
    [t('lab.task'), task.title],
    [t('lab.standard'), task.model?.standard ?? ''],
    [t('lab.samples'), summary.samples, t('lab.tested'), summary.tested, t('verdict.pass'), summary.passed, t('verdict.fail'), summary.failed, t('verdict.inconclusive'), summary.inconclusive, t('lab.passRate'), summary.passRate === null ? '' : `${(summary.passRate * 100).toFixed(1)}%`],
    [],
    [t('lab.analyte'), t('lab.tested'), t('lab.detected'), t('lab.exceeded')],
    ...summary.analytes.map((a) => [a.name, a.tested, a.detected, a.exceeded]),
    [],
    [t('lab.sampleId'), t('lab.product'), t('lab.entityName'), t('lot.code'), t('lab.sampledAt'), t('lab.verdict'), t('lab.failedAnalytes')],
    ...samples.map((s) => [
      s.sampleId,
      s.product,
      s.subject.entityName,
      s.traceCode,
      s.sampledAt,
      s.verdict ? t(`verdict.${s.verdict}`) : '',
      (s.outcomes ?? []).filter((o) => o.verdict === 'fail').map((o) => o.name).join('、'),
    ]),
  ];
  return `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** RFC 4180 quoting; a leading = + - @ is prefixed with ' so a spreadsheet never runs a cell as a formula. */
function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function download(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
