import { get } from '../../api/client';
import { t } from '../../i18n/i18n';
import { h, replace } from '../../ui/dom';
import { number } from '../../ui/format';

/**
 * 产地信息 on the dashboard (issue 14 §1, origin records and completeness): the region's origin records by
 * review state and the completeness against its 目标任务, from the origin read model (the same figures as the
 * 一张表 page, which the link opens).
 */
interface Completeness {
  collected: number;
  approved: number;
  returned: number;
  pending: number;
  inScope: number;
  collectedRate: number | null;
  approvedRate: number | null;
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

export function originSection(query: { region?: string | undefined }): HTMLElement {
  const body = h('div', null, h('p', { class: 'muted' }, '…'));
  const section = h('section', { class: 'card', 'data-testid': 'origin-stats' }, h('h2', null, t('stats.origin.title')), body);
  void (async () => {
    try {
      const c = await get<Completeness>('/api/v1/origin/completeness', query.region ? { region: query.region } : {});
      replace(
        body,
        h(
          'div',
          { class: 'stat-now' },
          [
            [t('stats.origin.collected'), number(c.collected)],
            [t('stats.origin.approved'), number(c.approved)],
            [t('stats.origin.pending'), number(c.pending)],
            [t('stats.origin.returned'), number(c.returned)],
            [t('stats.origin.inScope'), number(c.inScope)],
            [t('stats.origin.collectedRate'), pct(c.collectedRate)],
            [t('stats.origin.approvedRate'), pct(c.approvedRate)],
          ].map(([k, v]) => h('div', { class: 'stat-now-item' }, h('span', null, k!), h('strong', null, v!))),
        ),
        h('p', { class: 'no-print' }, h('a', { href: '#/origin' }, t('stats.origin.open'))),
      );
    } catch {
      replace(body, h('p', { class: 'muted' }, '—'));
    }
    section.dataset.origin = 'drawn';
  })();
  return section;
}
