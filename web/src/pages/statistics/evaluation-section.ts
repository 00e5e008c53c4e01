import { get } from '../../api/client';
import { t, type Key } from '../../i18n/i18n';
import { h, replace } from '../../ui/dom';

/**
 * 运行监测评价 on the dashboard: the composite score and grade of the region and of each region below it,
 * with each indicator's share against its target. Drawn after the charts, so a slow evaluation does not
 * hold the dashboard back; an indicator without a source yet shows —.
 */
interface Scored {
  score: number | null;
  grade: 'excellent' | 'good' | 'pass' | 'fail' | null;
  indicators: Record<string, { value: number | null; target: number; met: boolean | null }>;
}
interface Evaluation {
  own: Scored;
  rows: (Scored & { key: string; name: string })[];
}

const INDICATORS = ['reviewOnTime', 'confirmationRate', 'dataQuality', 'passRate', 'originTimeliness'];
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const gradeText = (g: Scored['grade']) => (g ? t(`stats.eval.grade.${g}` as Key) : '—');

export function evaluationSection(query: { region?: string | undefined }): HTMLElement {
  const body = h('div', null, h('p', { class: 'muted' }, '…'));
  const section = h('section', { class: 'card', 'data-testid': 'evaluation' }, h('h2', null, t('stats.eval.title')), body);
  void (async () => {
    try {
      const e = await get<Evaluation>('/api/v1/statistics/evaluation', query.region ? { region: query.region } : {});
      const row = (name: string, s: Scored, testid: string) =>
        h(
          'tr',
          { 'data-testid': testid, 'data-grade': s.grade ?? '' },
          h('td', null, name),
          h('td', null, s.score === null ? '—' : String(s.score)),
          h('td', null, h('span', { class: `badge grade-${s.grade ?? 'none'}` }, gradeText(s.grade))),
          ...INDICATORS.map((k) => h('td', { class: s.indicators[k]?.met === false ? 'warn' : '' }, pct(s.indicators[k]?.value ?? null))),
        );
      replace(
        body,
        h(
          'table',
          { class: 'table' },
          h('thead', null, h('tr', null, [t('stats.eval.region'), t('stats.eval.score'), t('stats.eval.grade'), ...INDICATORS.map((k) => t(`stats.eval.indicator.${k}` as Key))].map((c) => h('th', null, c)))),
          h('tbody', null, row(t('stats.eval.own'), e.own, 'evaluation-own'), ...e.rows.slice(0, 40).map((r) => row(r.name, r, 'evaluation-row'))),
        ),
      );
    } catch {
      replace(body, h('p', { class: 'muted' }, '—'));
    }
    section.dataset.evaluation = 'drawn';
  })();
  return section;
}
