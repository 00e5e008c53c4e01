import { get } from '../../api/client';
import { t, type Key } from '../../i18n/i18n';
import { h, replace } from '../../ui/dom';
import { number } from '../../ui/format';
import { downloadXlsx } from './export-xlsx';

/**
 * 数据传输监控 on the dashboard (seed 004 §六(二)): the last 30 days' uploads — batch route and 采集表 imports —
 * of the region, per sub-region (实时监控) and per client (drill-down to 节点企业), and day by day with the running
 * total (进度监控); each table exportable as XLSX.
 */
interface Figures {
  key: string;
  name: string;
  items: number;
  valid: number;
  problems: number;
  resent: number;
  validRate: number | null;
  cumulative?: number;
}
interface Uploads {
  totals: Omit<Figures, 'key' | 'name'> & { problemCodes: Record<string, number> };
  rows: Figures[];
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

export function uploadsSection(query: { region?: string | undefined }): HTMLElement {
  const body = h('div', null, h('p', { class: 'muted' }, '…'));
  const section = h('section', { class: 'card', 'data-testid': 'uploads' }, h('h2', null, t('stats.uploads.title')), body);
  const region = query.region ? { region: query.region } : {};
  const table = (by: 'region' | 'client' | 'day', rows: Figures[], testid: string) =>
    h(
      'div',
      { class: 'uploads-part' },
      h('div', { class: 'chart-head' }, h('h3', null, t(`stats.uploads.by.${by}` as Key)), h('button', { type: 'button', class: 'link export-xlsx no-print', 'data-testid': `export-${testid}`, onclick: () => void downloadXlsx({ ...region, by }, '/api/v1/statistics/uploads/export').catch((err) => alert(String(err))) }, t('stats.exportXlsx'))),
      h(
        'table',
        { class: 'table', 'data-testid': testid },
        h('thead', null, h('tr', null, [t(`stats.uploads.key.${by}` as Key), t('stats.uploads.items'), t('stats.uploads.valid'), t('stats.uploads.problems'), t('stats.uploads.resent'), t('stats.uploads.validRate'), ...(by === 'day' ? [t('stats.uploads.cumulative')] : [])].map((c) => h('th', null, c)))),
        h('tbody', null, rows.slice(0, 30).map((r) => h('tr', null, h('td', null, r.name), h('td', null, number(r.items)), h('td', null, number(r.valid)), h('td', { class: r.problems > 0 ? 'warn' : '' }, number(r.problems)), h('td', null, number(r.resent)), h('td', null, pct(r.validRate)), ...(by === 'day' ? [h('td', null, number(r.cumulative ?? 0))] : [])))),
      ),
    );
  void (async () => {
    try {
      const [byRegion, byClient, byDay] = await Promise.all(
        (['region', 'client', 'day'] as const).map((by) => get<Uploads>('/api/v1/statistics/uploads', { ...region, by })),
      );
      const tot = byRegion!.totals;
      replace(
        body,
        h(
          'div',
          { class: 'stat-now', 'data-testid': 'uploads-totals' },
          [
            [t('stats.uploads.items'), number(tot.items)],
            [t('stats.uploads.valid'), number(tot.valid)],
            [t('stats.uploads.problems'), number(tot.problems)],
            [t('stats.uploads.resent'), number(tot.resent)],
            [t('stats.uploads.validRate'), pct(tot.validRate)],
          ].map(([k, v]) => h('div', { class: 'stat-now-item' }, h('span', null, k!), h('strong', null, v!))),
        ),
        table('region', byRegion!.rows, 'uploads-regions'),
        table('client', byClient!.rows, 'uploads-clients'),
        table('day', byDay!.rows, 'uploads-days'),
      );
    } catch {
      replace(body, h('p', { class: 'muted' }, '—'));
    }
    section.dataset.uploads = 'drawn';
  })();
  return section;
}
