import { regionLabel } from '../../api/regions';
import type { RecallHolderRow, RecallNotice, RecallProgressView, RecallTotals } from '../../api/types';
import { label, t } from '../../i18n/i18n';
import { badge, empty } from '../../ui/components';
import { h } from '../../ui/dom';
import { number } from '../../ui/format';

/** "1,000 / 3,000 千克" for each measure (mass in kg, count units apart). */
export function totalsText(totals: RecallTotals): string {
  const parts = Object.entries(totals).map(([unit, v]) => `${number(v.accountedFor)} / ${number(v.affected)} ${label('unit', unit)}`);
  return parts.length ? parts.join(' · ') : '—';
}

export function progressBar(percent: number | null, testid?: string): HTMLElement {
  const p = Math.max(0, Math.min(100, percent ?? 0));
  return h(
    'div',
    { class: `progress${p >= 100 ? ' done' : ''}`, role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': p, ...(testid ? { 'data-testid': testid } : {}) },
    h('span', { class: 'progress-fill', style: `width: ${p}%` }),
    h('span', { class: 'progress-label' }, `${number(p)} %`),
  );
}

const noticeTone = (status: string): 'ok' | 'warn' => (status === 'acknowledged' ? 'ok' : 'warn');
const isNotice = (r: RecallHolderRow): r is RecallNotice => !('redacted' in r.holder);

/** 召回进度: accounted for / affected overall, by region and by holder, as the recall projection keeps it live. */
export function recallProgressView(p: RecallProgressView): HTMLElement {
  if (p.percent === null && !p.holders.length) return empty(t('recall.notStarted'));
  const regions = Object.entries(p.byRegion).sort(([a], [b]) => a.localeCompare(b));
  return h(
    'div',
    { class: 'stack', 'data-testid': 'recall-progress' },
    h('div', null, h('p', { 'data-testid': 'recall-totals' }, t('recall.accounted'), ' ', h('strong', null, totalsText(p.totals))), progressBar(p.percent, 'recall-bar')),
    h('h3', null, t('recall.byRegion')),
    h(
      'table',
      { class: 'table', 'data-testid': 'recall-by-region' },
      h('thead', null, h('tr', null, [t('chain.region'), t('recall.acknowledgedHolders'), t('recall.quantity'), t('recall.percent')].map((c) => h('th', null, c)))),
      h(
        'tbody',
        null,
        regions.map(([code, r]) =>
          h(
            'tr',
            { 'data-region': code },
            h('td', null, regionLabel(code, true)),
            h('td', null, `${r.acknowledged} / ${r.holders}`, r.escalated ? [' ', badge(t('recall.escalatedCount', { count: r.escalated }), 'bad')] : null),
            h('td', null, totalsText(r.totals)),
            h('td', { class: 'bar-cell' }, progressBar(r.percent)),
          ),
        ),
      ),
    ),
    h('h3', null, t('recall.byHolder')),
    h(
      'table',
      { class: 'table', 'data-testid': 'recall-by-holder' },
      h('thead', null, h('tr', null, [t('chain.holder'), t('chain.region'), t('recall.status'), t('recall.quantity'), t('recall.percent')].map((c) => h('th', null, c)))),
      h(
        'tbody',
        null,
        p.holders.map((r) =>
          h(
            'tr',
            { 'data-testid': 'recall-holder', 'data-holder': isNotice(r) ? r.holderEntityId : '' },
            h('td', null, isNotice(r) ? r.holder.name : t('lot.redacted')),
            h('td', null, regionLabel(r.regionCode, true)),
            h('td', null, badge(label('recallStatus', r.status), noticeTone(r.status)), r.escalatedAt ? [' ', badge(t('recall.escalated'), 'bad')] : null),
            h('td', null, totalsText(r.totals)),
            h('td', { class: 'bar-cell' }, progressBar(r.percent)),
          ),
        ),
      ),
    ),
  );
}
