import { get, openPdf } from '../../api/client';
import { regionLabel, regionNames } from '../../api/regions';
import type { ChainLot, Lot, TraceChain } from '../../api/types';
import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { hashHref } from '../../app/router';
import { label, t } from '../../i18n/i18n';
import { badge, busy, card, empty, errorView, facts } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { findingView } from '../../ui/findings';
import { date, dateTime, groupTraceCode, quantity } from '../../ui/format';
import { loadLotFlow } from './lot-flow';

/** 批次详情: the full (unmasked) lot, its trace chain both ways, the flow on a map, label and certificates. */
export const lotPage: Page = async (root, route) => {
  const code = route.parts[1] ?? '';
  let lot: Lot;
  try {
    lot = await get<Lot>(`/api/v1/lots/${encodeURIComponent(code)}`);
  } catch (err) {
    replace(root, errorView(err));
    return;
  }
  setTitle(`${lot.product} ${groupTraceCode(lot._id)}`);
  await regionNames([lot.base.regionCode, lot.holder.regionCode]).catch(() => undefined);
  const chainEl = h('div', null, t('common.loading'));
  const mapEl = h('div', { class: 'small-map', 'data-testid': 'lot-map' });
  const pdfOut = h('div', null);
  const labelButton = h('button', { type: 'button', class: 'secondary', 'data-testid': 'lot-label' }, t('lot.printLabel'));
  labelButton.addEventListener('click', () => void busy(labelButton, pdfOut, () => openPdf(`/api/v1/lots/${lot._id}/label.pdf`, `label-${lot._id}.pdf`)));

  replace(
    root,
    h(
      'header',
      { class: 'page-head' },
      h('h1', null, lot.product, ' ', h('span', { class: 'code', 'data-testid': 'lot-code' }, groupTraceCode(lot._id))),
      h('p', null, badge(label('lotStatus', lot.status), lot.status === 'active' ? 'ok' : 'muted'), lot.holds.length ? badge(t('lot.onHold'), 'bad') : null),
      h(
        'p',
        { class: 'links' },
        h('a', { href: `/t/${lot._id}` }, t('links.publicPage')),
        ' · ',
        h('a', { href: hashHref('/supervisor', { flow: lot._id }) }, t('lot.showFlow')),
        ' · ',
        h('a', { href: `#/audit?stream=lot-${lot._id}` }, t('links.auditStream')),
        ' ',
        labelButton,
      ),
      pdfOut,
    ),
    h(
      'div',
      { class: 'two-col' },
      card(
        t('lot.details'),
        facts([
          [t('lot.quantity'), quantity(lot.quantity)],
          [t('lot.balance'), t('lot.balanceValue', { available: lot.available, reserved: lot.reserved, shipped: lot.shipped, unit: label('unit', lot.unit) })],
          [t('lot.holder'), h('a', { href: `#/entities/${lot.holder.entityId}` }, lot.holder.name)],
          [t('entity.eid'), lot.holder.eid ?? '—'],
          [t('lot.holderRegion'), regionLabel(lot.holder.regionCode, true)],
          [t('lot.origin'), `${lot.base.name} · ${regionLabel(lot.base.regionCode, true)}`],
          [t('lot.produced'), date(lot.productionDate)],
          [t('lot.created'), dateTime(lot.createdAt)],
          [t('lot.parent'), lot.parentTraceCode ? h('a', { href: `#/lots/${lot.parentTraceCode}`, class: 'code small' }, groupTraceCode(lot.parentTraceCode)) : t('lot.isOrigin')],
        ]),
      ),
      card(t('lot.flowMap'), mapEl),
    ),
    lot.holds.length || lot.verdicts.length
      ? card(t('lot.quality'), h('ul', { class: 'findings' }, [...lot.holds.map((w) => findingView(w, 'warning')), ...lot.verdicts.map((v) => findingView(v, 'verdict'))]))
      : null,
    card(t('lot.chain'), chainEl),
    lot.certificates.length
      ? card(
          t('lot.certificates'),
          h(
            'ul',
            { class: 'plain' },
            lot.certificates.map((c) => {
              const b = h('button', { type: 'button', class: 'link' }, t('lot.certificatePdf'));
              const out = h('span', null);
              b.addEventListener('click', () => void busy(b, out, () => openPdf(`/api/v1/lots/${lot._id}/certificates/${c.certificateNo}.pdf`, `${c.certificateNo}.pdf`)));
              return h('li', null, h('span', { class: 'code small' }, c.certificateNo), ` · ${c.market.name} · ${quantity(c.quantity)} · ${dateTime(c.issuedAt)} `, b, out);
            }),
          ),
        )
      : null,
    lot.offLedgerShipments.length
      ? card(
          t('lot.offLedger'),
          h('ul', { class: 'plain' }, lot.offLedgerShipments.map((s) => h('li', null, `${String(s.receiver.name ?? '—')} · ${quantity(s.quantity)} · ${dateTime(s.at)}`))),
        )
      : null,
  );

  void get<TraceChain>(`/api/v1/trace/${lot._id}/chain`, { direction: 'both' })
    .then((chain) => replace(chainEl, chainView(chain, lot._id)))
    .catch((err) => replace(chainEl, errorView(err)));

  const [{ createBaseMap }, { drawFlows }] = await Promise.all([import('../../map/base-map'), import('../../map/flows')]);
  const m = createBaseMap(mapEl, { highlightProvince: lot.base.regionCode.slice(0, 2) });
  loadLotFlow(lot._id)
    .then((flow) => {
      if (!m.alive()) return;
      const layer = drawFlows(m.map, flow.nodes, flow.edges);
      if (flow.nodes.length) m.map.fitBounds(layer.getBounds(), { padding: [30, 30], maxZoom: 8, animate: false });
    })
    .catch(() => undefined);
  return () => m.destroy();
};

function chainView(chain: TraceChain, here: string): HTMLElement {
  const lots = new Map(chain.lots.map((l) => [l._id, l]));
  if (!chain.edges.length) return empty(t('lot.noChain'));
  const name = (code: string | null, receiver?: Record<string, unknown>) => {
    if (!code) return `${String(receiver?.name ?? '—')} (${t('map.offLedger')})`;
    const l = lots.get(code) as ChainLot | undefined;
    if (!l) return groupTraceCode(code);
    return 'redacted' in l ? `${t('lot.redacted')} (${regionLabel(l.regionCode)})` : l.holder.name;
  };
  const link = (code: string | null) => (code ? h('a', { href: `#/lots/${code}`, class: `code small${code === here ? ' here' : ''}` }, groupTraceCode(code)) : null);
  return h(
    'table',
    { class: 'table', 'data-testid': 'lot-chain' },
    h('thead', null, h('tr', null, [t('lot.from'), t('lot.to'), t('lot.quantity'), t('lot.at')].map((c) => h('th', null, c)))),
    h(
      'tbody',
      null,
      chain.edges.map((e) =>
        h(
          'tr',
          { class: e.from === here || e.to === here ? 'here' : null },
          h('td', null, name(e.from), h('br'), link(e.from)),
          h('td', null, name(e.to, e.receiver), h('br'), link(e.to)),
          h('td', null, quantity({ amount: e.quantity, unit: e.unit })),
          h('td', null, dateTime(e.at)),
        ),
      ),
    ),
  );
}
