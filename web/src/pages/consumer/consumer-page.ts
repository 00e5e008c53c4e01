import { ApiError } from '../../api/errors';
import { get } from '../../api/client';
import type { ConsumerView } from '../../api/types';
import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { label, t } from '../../i18n/i18n';
import { alert, badge, card, errorView } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { findingView, verdictOf } from '../../ui/findings';
import { date, dateTime, groupTraceCode, quantity } from '../../ui/format';
import { certificateCheck } from './certificate-check';
import { lookupForm } from './lookup-form';
import { complaintForm } from './complaint-form';

/**
 * 消费者查询: what anyone holding the label sees (mobile first). The API returns the public, masked view; a
 * forged code (bad check segment) is refused by the API without a lookup, and the page says so plainly.
 */
export const consumerPage: Page = async (root, route) => {
  const code = route.parts[1] ?? '';
  setTitle(t('consumer.title'));
  let view: ConsumerView;
  try {
    view = await get<ConsumerView>(`/api/v1/trace/${encodeURIComponent(code)}`);
  } catch (err) {
    replace(root, h('h1', null, t('consumer.title')), lookupFailure(err, code), lookupForm(code));
    return;
  }
  setTitle(`${view.product} · ${t('consumer.title')}`);

  const onHold = view.status !== 'normal';
  const failed = view.verdicts.some((v) => verdictOf(v) === 'fail');
  const mapEl = h('div', { class: 'consumer-map', 'data-testid': 'origin-map', role: 'region', 'aria-label': t('consumer.mapLabel') });
  const origin = view.origin;
  const masked = origin.entity.entityType === 'household' || view.chain.some((c) => c.holder.entityType === 'household');
  // A voucher's QR opens this page with ?cert=: the check's answer is then the first thing under the product.
  const cert = route.query.get('cert');
  const certificatesCard = card(
    t('consumer.certificates'),
    view.certificates.length
      ? h(
          'ul',
          { class: 'plain' },
          view.certificates.map((c) =>
            h('li', null, h('strong', null, c.market.name), ` (${label('marketKind', c.market.kind)}) · ${dateTime(c.issuedAt)}`, h('br'), h('span', { class: 'code small' }, c.certificateNo)),
          ),
        )
      : h('p', { class: 'muted' }, t('consumer.noCertificates')),
    certificateCheck(view, cert),
  );
  certificatesCard.dataset.testid = 'certificates';

  replace(
    root,
    h(
      'article',
      { class: 'consumer', 'data-testid': 'consumer-view' },
      h(
        'header',
        { class: `product-head ${onHold || failed ? 'on-hold' : 'normal'}` },
        h('p', { class: 'eyebrow' }, t('consumer.eyebrow')),
        h('h1', { 'data-testid': 'product' }, view.product),
        h(
          'p',
          { class: 'status-line' },
          onHold || failed ? badge(t('consumer.statusHold'), 'bad') : badge(t('consumer.statusNormal'), 'ok'),
          ' ',
          t('consumer.produced', { date: date(view.productionDate) }),
          ' · ',
          quantity(view.quantity),
        ),
        h('p', { class: 'code', 'data-testid': 'trace-code' }, groupTraceCode(view.traceCode)),
      ),
      onHold ? alert('bad', t('consumer.holdTitle'), t('consumer.holdBody')) : null,
      cert ? certificatesCard : null,
      view.warnings.length
        ? card(t('consumer.warnings'), h('ul', { class: 'findings' }, view.warnings.map((w) => findingView(w, 'warning'))))
        : null,
      // Each suspension and its lifting, with what decided the lifting (a re-test, a case, an incident).
      view.holdHistory?.length
        ? card(
            t('consumer.holdHistory'),
            h(
              'ul',
              { class: 'plain', 'data-testid': 'hold-history' },
              view.holdHistory.map((e) =>
                h(
                  'li',
                  null,
                  badge(e.event === 'held' ? t('consumer.holdPut') : t('consumer.holdLifted'), e.event === 'held' ? 'bad' : 'ok'),
                  ` ${dateTime(e.at)}${e.decision ? ` · ${label('holdDecision', e.decision)}` : ''}`,
                  h('br'),
                  e.reason,
                ),
              ),
            ),
          )
        : null,
      card(
        t('consumer.origin'),
        h(
          'div',
          { class: 'origin' },
          h('p', { class: 'origin-name', 'data-testid': 'origin-entity' }, origin.entity.name, ' ', badge(label('entityType', origin.entity.entityType), 'muted')),
          h('p', null, h('span', { class: 'muted' }, t('consumer.base')), ' ', origin.base.name),
          h('p', { class: 'muted' }, origin.base.regionName),
        ),
        mapEl,
      ),
      card(
        t('consumer.chain'),
        h(
          'ol',
          { class: 'timeline', 'data-testid': 'custody-timeline' },
          view.chain.map((step, i) =>
            h(
              'li',
              { class: i === 0 ? 'first' : i === view.chain.length - 1 ? 'last' : null },
              h('span', { class: 'dot', 'aria-hidden': 'true' }),
              h(
                'div',
                null,
                h('p', { class: 'step-kind' }, i === 0 ? t('consumer.stepOrigin') : i === view.chain.length - 1 ? t('consumer.stepHere') : t('consumer.stepHandover')),
                h('p', { class: 'step-holder' }, step.holder.name),
                h('p', { class: 'muted' }, `${step.place} · ${quantity(step.quantity)}`),
                // Which time this is: the origin lot's recording, or when the holder received the goods.
                h('p', { class: 'muted step-time', 'data-testid': 'step-time' }, t(i === 0 ? 'consumer.timeCreated' : 'consumer.timeReceived', { time: dateTime(step.date) })),
                h('p', { class: 'code small' }, groupTraceCode(step.traceCode)),
              ),
            ),
          ),
        ),
      ),
      card(
        t('consumer.tests'),
        view.verdicts.length ? h('ul', { class: 'findings' }, view.verdicts.map((v) => findingView(v, 'verdict'))) : h('p', { class: 'muted' }, t('consumer.noTests')),
      ),
      cert ? null : certificatesCard,
      complaintForm(view.traceCode),
      masked ? h('p', { class: 'note', 'data-testid': 'masking-note' }, t('consumer.masked')) : h('p', { class: 'note' }, t('consumer.maskedGeneral')),
      lookupForm(''),
    ),
  );

  // The words first; the map (Leaflet, a separate chunk) as soon as it arrives.
  const { createBaseMap, pin, L } = await import('../../map/base-map');
  // A shopper gets a plain caption, not the boundary data's licence line (web/README.md credits it).
  const base = createBaseMap(mapEl, { highlightProvince: origin.base.regionCode.slice(0, 2), center: [origin.base.lat, origin.base.lon], zoom: 6, boundaryNote: t('consumer.mapNote') });
  L.marker([origin.base.lat, origin.base.lon], { icon: pin('origin'), title: origin.base.name }).bindPopup(`${origin.base.name}`).addTo(base.map);
  return () => base.destroy();
};

function lookupFailure(err: unknown, code: string): HTMLElement {
  if (err instanceof ApiError && err.status === 400 && err.details.reason === 'checksum')
    return h('div', { 'data-testid': 'lookup-forged' }, alert('bad', t('consumer.forgedTitle'), t('consumer.forgedBody'), h('span', { class: 'code' }, groupTraceCode(code))));
  if (err instanceof ApiError && err.status === 400)
    return h('div', { 'data-testid': 'lookup-malformed' }, alert('warn', t('consumer.malformedTitle'), t('consumer.malformedBody')));
  if (err instanceof ApiError && err.status === 404)
    return h('div', { 'data-testid': 'lookup-unknown' }, alert('warn', t('consumer.unknownTitle'), t('consumer.unknownBody'), h('span', { class: 'code' }, groupTraceCode(code))));
  return errorView(err);
}
