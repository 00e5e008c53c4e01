import { regionLabel, regionNames } from '../../api/regions';
import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { hashHref } from '../../app/router';
import { label, t } from '../../i18n/i18n';
import { badge, empty, errorView as errorBox } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { dateTime, number } from '../../ui/format';
import { listIncidents } from './incident-api';
import { leadAgency, levelTone, statusTone } from './incident-labels';

const STATUSES = ['open', 'responding', 'closed', ''];

/** 应急事件列表: the incidents the caller's region is concerned by, most recent first, by status. */
export const incidentsPage: Page = async (root, route) => {
  setTitle(t('incidents.title'));
  const status = route.query.get('status') ?? 'open';
  const list = h('div', { 'data-testid': 'incidents' });
  replace(
    root,
    h('h1', null, t('incidents.title')),
    h('nav', { class: 'tabs' }, STATUSES.map((s) => h('a', { href: hashHref('/incidents', { status: s || 'all' }), class: s === status || (!s && status === 'all') ? 'active' : null }, s ? label('incidentStatus', s) : t('warnings.all')))),
    list,
  );
  try {
    const r = await listIncidents(status === 'all' ? '' : status);
    await regionNames(r.items.flatMap((i) => [i.place.regionCode, i.leadRegionCode]).filter(Boolean)).catch(() => undefined);
    replace(
      list,
      h('p', { class: 'counts' }, t('incidents.total', { total: number(r.total) })),
      r.items.length
        ? h(
            'div',
            { class: 'table-scroll' },
            h(
              'table',
              { class: 'table' },
              h('thead', null, h('tr', null, [t('incidents.what'), t('incident.level'), t('incident.status'), t('incident.place'), t('incident.lead'), t('incident.recordedAt')].map((c) => h('th', null, c)))),
              h(
                'tbody',
                null,
                r.items.map((i) =>
                  h(
                    'tr',
                    { 'data-testid': 'incident-row', 'data-incident': i.incidentId },
                    h('td', null, h('a', { href: `#/incidents/${encodeURIComponent(i.incidentId)}` }, i.title), h('br'), h('small', { class: 'muted' }, label('incidentCategory', i.category))),
                    h('td', null, badge(label('incidentLevel', i.level), levelTone(i.level))),
                    h('td', null, badge(label('incidentStatus', i.status), statusTone(i.status))),
                    h('td', null, regionLabel(i.place.regionCode, true)),
                    h('td', null, leadAgency(i.leadRegionCode)),
                    h('td', null, dateTime(i.recordedAt)),
                  ),
                ),
              ),
            ),
          )
        : empty(t('incidents.none')),
    );
  } catch (err) {
    replace(list, errorBox(err));
  }
};
