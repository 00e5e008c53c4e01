import { get, post } from '../../api/client';
import { regionLabel, regionNames } from '../../api/regions';
import type { Entity, Lot, Page as Paged } from '../../api/types';
import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { session } from '../../app/session';
import { label, t } from '../../i18n/i18n';
import { badge, busy, card, empty, errorView, facts } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { date, dateTime, groupTraceCode, quantity } from '../../ui/format';

const REVIEWERS = new Set(['county-admin', 'city-admin', 'province-admin', 'ministry-admin']);

/** 主体详情: registration, bases on a map, lots it holds; county review (approve / reject) while pending. */
export const entityPage: Page = async (root, route) => {
  const id = route.parts[1] ?? '';
  let entity: Entity;
  try {
    entity = await get<Entity>(`/api/v1/entities/${encodeURIComponent(id)}`);
  } catch (err) {
    replace(root, errorView(err));
    return;
  }
  setTitle(entity.name);
  await regionNames([entity.regionCode, ...entity.bases.map((b) => b.regionCode)]).catch(() => undefined);
  const lotsEl = h('div', null);
  const mapEl = h('div', { class: 'small-map', 'data-testid': 'entity-map' });
  const statusTone = entity.status === 'approved' ? 'ok' : entity.status === 'rejected' ? 'bad' : 'warn';

  replace(
    root,
    h(
      'header',
      { class: 'page-head' },
      h('h1', { 'data-testid': 'entity-name' }, entity.name),
      h('p', null, badge(label('entityType', entity.entityType), 'muted'), ' ', badge(label('entityStatus', entity.status), statusTone), entity.eid ? h('span', { class: 'code' }, ` ${entity.eid}`) : null),
      h('p', { class: 'links' }, h('a', { href: `#/audit?stream=entity-${encodeURIComponent(entity._id)}` }, t('links.auditStream'))),
    ),
    reviewActions(entity),
    h(
      'div',
      { class: 'two-col' },
      card(
        t('entity.registration'),
        facts([
          [t('entity.eid'), entity.eid ?? '—'],
          [t('filter.region'), regionLabel(entity.regionCode, true)],
          [t('entity.address'), entity.address],
          [t('entity.legalRep'), entity.legalRepresentative],
          [t('entity.phone'), entity.contactPhone],
          [t('entity.creditCode'), entity.creditCode ?? ''],
          [t('entity.products'), entity.products.join('、')],
          [t('entity.appliedAt'), dateTime(entity.appliedAt)],
          [t('entity.reviewDeadline'), entity.status === 'pending' ? dateTime(entity.reviewDeadline) : ''],
          [t('entity.rejectionReason'), entity.rejectionReason ?? ''],
        ]),
      ),
      card(
        t('entity.bases'),
        mapEl,
        h(
          'ul',
          { class: 'plain' },
          entity.bases.map((b) =>
            h(
              'li',
              null,
              h('strong', null, b.name),
              ` · ${regionLabel(b.regionCode, true)} · ${b.address ?? ''}`,
              h('br'),
              h('small', { class: 'muted' }, `${b.lat.toFixed(6)}, ${b.lon.toFixed(6)}${b.areaMu ? ` · ${b.areaMu} ${t('unit.mu')}` : ''} · ${(b.products ?? []).join('、')}`),
            ),
          ),
        ),
      ),
    ),
    card(t('entity.lots'), lotsEl),
  );

  void get<Paged<Lot>>('/api/v1/lots', { entityId: entity._id, size: 50 })
    .then((r) =>
      replace(
        lotsEl,
        r.items.length
          ? h(
              'table',
              { class: 'table' },
              h('thead', null, h('tr', null, [t('lot.code'), t('lot.product'), t('lot.available'), t('lot.produced'), t('lot.status')].map((c) => h('th', null, c)))),
              h(
                'tbody',
                null,
                r.items.map((l) =>
                  h(
                    'tr',
                    null,
                    h('td', null, h('a', { href: `#/lots/${l._id}`, class: 'code small' }, groupTraceCode(l._id))),
                    h('td', null, l.product),
                    h('td', null, `${quantity({ amount: l.available, unit: l.unit })} / ${quantity(l.quantity)}`),
                    h('td', null, date(l.productionDate)),
                    h('td', null, label('lotStatus', l.status)),
                  ),
                ),
              ),
            )
          : empty(t('entity.noLots')),
      ),
    )
    .catch((err) => replace(lotsEl, errorView(err)));

  const { createBaseMap, pin, L } = await import('../../map/base-map');
  const m = createBaseMap(mapEl, { highlightProvince: entity.regionCode.slice(0, 2) });
  const markers = entity.bases.map((b) => L.marker([b.lat, b.lon], { icon: pin('base'), title: b.name }).bindPopup(b.name).addTo(m.map));
  if (markers.length) m.map.fitBounds(L.featureGroup(markers).getBounds(), { maxZoom: 8, padding: [30, 30], animate: false });
  return () => m.destroy();
};

function reviewActions(entity: Entity): HTMLElement | null {
  const who = session.identity();
  if (entity.status !== 'pending' || !who || !REVIEWERS.has(who.role)) return null;
  const out = h('div', null);
  const reason = h('input', { name: 'reason', placeholder: t('entity.rejectReason') });
  const approve = h('button', { type: 'button', 'data-testid': 'approve' }, t('entity.approve'));
  const reject = h('button', { type: 'button', class: 'secondary' }, t('entity.reject'));
  approve.addEventListener('click', async () => {
    const r = await busy(approve, out, () => post<{ eid: string }>(`/api/v1/entities/${entity._id}/approve`));
    if (r) location.reload();
  });
  reject.addEventListener('click', async () => {
    if (!reason.value.trim()) return reason.focus();
    const r = await busy(reject, out, () => post(`/api/v1/entities/${entity._id}/reject`, { reason: reason.value.trim() }));
    if (r) location.reload();
  });
  return card(t('entity.review'), h('p', { class: 'muted' }, t('entity.reviewLead', { deadline: dateTime(entity.reviewDeadline) })), h('div', { class: 'row' }, approve, reason, reject), out);
}
