import { get, post } from '../../api/client';
import { t, type Key } from '../../i18n/i18n';
import { h, replace } from '../../ui/dom';
import { downloadFile } from './export-xlsx';

/**
 * 统计报表 on the dashboard: the monthly 信息调度 and half-year summaries generated for the region and those
 * below it, newest first, each downloadable as PDF and XLSX; the last closed period's report of the region
 * can be generated now instead of waiting for the daily job.
 */
interface Report {
  reportId: string;
  kind: 'monthly' | 'half-year';
  period: string;
  regionName: string;
  title: string;
  generatedAt: string;
  formats: { format: 'pdf' | 'xlsx'; href: string }[];
}

export function reportsSection(query: { region?: string | undefined }): HTMLElement {
  const body = h('div', null, h('p', { class: 'muted' }, '…'));
  const section = h('section', { class: 'card', 'data-testid': 'reports' }, h('h2', null, t('stats.reports.title')), body);
  const region = query.region ? { region: query.region } : {};
  const draw = async () => {
    try {
      const { items } = await get<{ items: Report[] }>('/api/v1/statistics/reports', region);
      const generate = (kind: Report['kind']) =>
        h('button', { type: 'button', class: 'no-print', 'data-testid': `generate-${kind}`, onclick: () => void post('/api/v1/statistics/reports/generate', { kind, ...region }).then(draw, (err) => alert(String(err))) }, t(`stats.reports.generate.${kind}` as Key));
      replace(
        body,
        h('p', { class: 'no-print' }, generate('monthly'), ' ', generate('half-year')),
        items.length === 0
          ? h('p', { class: 'muted', 'data-testid': 'reports-empty' }, t('stats.reports.none'))
          : h(
              'table',
              { class: 'table', 'data-testid': 'reports-table' },
              h('thead', null, h('tr', null, [t('stats.reports.period'), t('stats.reports.kind'), t('stats.reports.report'), t('stats.reports.generatedAt'), t('stats.reports.files')].map((c) => h('th', null, c)))),
              h(
                'tbody',
                null,
                items.slice(0, 60).map((r) =>
                  h(
                    'tr',
                    { 'data-testid': 'report-row', 'data-report': r.reportId },
                    h('td', null, r.period),
                    h('td', null, t(`stats.reports.kind.${r.kind}` as Key)),
                    h('td', null, r.title),
                    h('td', null, r.generatedAt.slice(0, 16).replace('T', ' ')),
                    h('td', null, ...r.formats.map((f) => h('button', { type: 'button', class: 'link', 'data-testid': `download-${f.format}`, onclick: () => void downloadFile(f.href, `${r.reportId}.${f.format}`).catch((err) => alert(String(err))) }, f.format.toUpperCase()))),
                  ),
                ),
              ),
            ),
      );
    } catch {
      replace(body, h('p', { class: 'muted' }, '—'));
    }
    section.dataset.reports = 'drawn';
  };
  void draw();
  return section;
}
