import { ApiError } from '../../api/errors';
import { get } from '../../api/client';
import { regionLabel, regionNames } from '../../api/regions';
import type { Finding } from '../../api/types';
import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { go, hashHref } from '../../app/router';
import { label, t } from '../../i18n/i18n';
import { badge, empty, errorView, pager } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { levelTone, pick } from '../../ui/findings';
import { dateTime, groupTraceCode, number } from '../../ui/format';
import { handlesWarnings, warningActions } from '../incidents/warning-actions';

const SIZE = 20;
const LEVELS = ['red', 'orange', 'yellow', 'blue'];

/**
 * 风险预警: warnings raised by the risk rules, by level. The endpoint belongs to the quality/risk features; until
 * the API has it (404 on the route), the page says the service is not there yet rather than showing an error.
 */
export const warningsPage: Page = async (root, route) => {
  setTitle(t('warnings.title'));
  const level = route.query.get('level') ?? '';
  const page = Math.max(1, Number(route.query.get('page') ?? 1) || 1);
  const list = h('div', { 'data-testid': 'warnings' });
  replace(root, h('h1', null, t('warnings.title')), list);

  let items: Finding[];
  let total: number;
  try {
    const r = await get<Finding[] | { items: Finding[]; total?: number }>('/api/v1/risk-warnings', { level, page, size: SIZE });
    items = Array.isArray(r) ? r : r.items;
    total = Array.isArray(r) ? r.length : (r.total ?? r.items.length);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404 && /Cannot GET/.test(err.message)) {
      replace(list, h('div', { class: 'empty-state', 'data-testid': 'warnings-unavailable' }, h('strong', null, t('warnings.unavailable')), h('p', null, t('warnings.unavailableBody'))));
      return;
    }
    replace(list, errorView(err));
    return;
  }
  await regionNames(items.map((w) => pick(w, 'subject.regionCode', 'regionCode') ?? '').filter(Boolean)).catch(() => undefined);
  const levels = ['', ...new Set([...LEVELS, ...items.map((w) => pick(w, 'level', 'rule.level') ?? '').filter(Boolean)])];
  // 受理 / 关闭 / 启动应急 for the roles that handle warnings (issue 12); the API decides each one.
  const actions = handlesWarnings();
  const reload = () => go(hashHref('/supervisor/warnings', { level, page }));
  replace(
    list,
    h(
      'nav',
      { class: 'tabs', 'aria-label': t('warnings.byLevel') },
      levels.map((l) => h('a', { href: hashHref('/supervisor/warnings', { level: l }), class: l === level ? 'active' : null }, l ? label('warningLevel', l) : t('warnings.all'))),
    ),
    h('p', { class: 'counts' }, t('warnings.total', { total: number(total) })),
    items.length
      ? h(
          'table',
          { class: 'table' },
          h('thead', null, h('tr', null, [t('warnings.level'), t('warnings.what'), t('warnings.lot'), t('filter.region'), t('warnings.raisedAt'), t('warnings.status'), actions ? t('warnings.actions') : null].map((c) => (c ? h('th', null, c) : null)))),
          h(
            'tbody',
            null,
            items.map((w) => {
              const code = pick(w, 'subject.traceCode', 'traceCode');
              const level = pick(w, 'level', 'rule.level');
              const region = pick(w, 'subject.regionCode', 'regionCode');
              const entityId = pick(w, 'subject.entityId', 'entityId');
              return h(
                'tr',
                { 'data-testid': 'warning-row', 'data-level': level ?? '' },
                h('td', null, badge(label('warningLevel', level ?? '?'), levelTone(level))),
                h('td', null, h('strong', null, pick(w, 'ruleName', 'rule.name', 'title', 'type') ?? '—'), h('br'), h('small', null, pick(w, 'reason', 'message', 'description') ?? '')),
                h(
                  'td',
                  null,
                  code ? h('a', { href: `#/lots/${encodeURIComponent(code)}`, class: 'code small' }, groupTraceCode(code)) : null,
                  entityId ? h('div', null, h('a', { href: `#/entities/${encodeURIComponent(entityId)}` }, pick(w, 'subject.entityName', 'entityName') ?? entityId)) : null,
                ),
                h('td', null, region ? regionLabel(region, true) : '—'),
                h('td', null, dateTime(pick(w, 'raisedAt', 'createdAt', 'at'))),
                h('td', null, label('warningStatus', pick(w, 'state', 'status') ?? '')),
                actions ? warningActions(w, reload) : null,
              );
            }),
          ),
        )
      : empty(t('warnings.none')),
    pager(page, SIZE, total, (p) => hashHref('/supervisor/warnings', { level, page: p })),
  );
};
