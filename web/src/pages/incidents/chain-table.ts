import { regionLabel } from '../../api/regions';
import type { ChainNodeView, IncidentChain } from '../../api/types';
import { label, t } from '../../i18n/i18n';
import { badge, empty } from '../../ui/components';
import { h } from '../../ui/dom';
import { dateTime, groupTraceCode, number } from '../../ui/format';

const isVisible = (n: IncidentChain['nodes'][number]): n is ChainNodeView => !('redacted' in n);

/**
 * 追溯链条数据表: one row per lot of the chain, origins first — holder, region, contact, received / shipped on /
 * remaining, times and test results. A node the caller may not see keeps only its region.
 */
export function chainTable(chain: IncidentChain): HTMLElement {
  if (!chain.nodes.length) return empty(t('incident.chainEmpty'));
  const qty = (n: number, unit: string) => `${number(n)} ${label('unit', unit)}`;
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'table chain-table', 'data-testid': 'chain-table' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          [t('chain.holder'), t('chain.region'), t('chain.contact'), t('chain.lot'), t('chain.received'), t('chain.shippedOn'), t('chain.remaining'), t('chain.times'), t('chain.tests')].map((c) => h('th', null, c)),
        ),
      ),
      h(
        'tbody',
        null,
        chain.nodes.map((n) => {
          if (!isVisible(n))
            return h(
              'tr',
              { class: 'redacted', 'data-testid': 'chain-row', 'data-redacted': 'true' },
              h('td', null, t('lot.redacted')),
              h('td', null, regionLabel(n.regionCode, true)),
              h('td', { colspan: 7, class: 'muted' }, t('chain.redactedNote')),
            );
          const q = n.quantities;
          return h(
            'tr',
            { 'data-testid': 'chain-row', 'data-trace-code': n.traceCode, class: n.isOrigin ? 'origin' : null },
            h('td', null, h('a', { href: `#/entities/${encodeURIComponent(n.holder.entityId)}` }, n.holder.name), n.isOrigin ? [' ', badge(t('chain.origin'), 'ok')] : null, h('br'), h('small', { class: 'code' }, n.holder.eid ?? '—')),
            h('td', null, regionLabel(n.holder.regionCode, true)),
            h('td', { 'data-testid': 'chain-contact' }, n.holder.contact.person ?? '—', h('br'), n.holder.contact.phone ? h('a', { href: `tel:${n.holder.contact.phone}` }, n.holder.contact.phone) : '—'),
            h('td', null, h('a', { href: `#/lots/${encodeURIComponent(n.traceCode)}`, class: 'code small' }, groupTraceCode(n.traceCode)), h('br'), h('small', null, n.product)),
            h('td', { class: 'num' }, qty(q.received, q.unit)),
            h('td', { class: 'num' }, qty(q.shippedOn, q.unit)),
            h('td', { class: 'num', 'data-testid': 'chain-remaining' }, qty(q.remaining, q.unit)),
            h('td', null, h('small', null, n.isOrigin ? t('chain.producedAt') : t('chain.receivedAt'), ' ', dateTime(n.receivedAt ?? n.createdAt))),
            h('td', null, n.testResults.length ? n.testResults.map((r) => testResult(r)) : h('span', { class: 'muted' }, t('chain.noTests'))),
          );
        }),
      ),
    ),
  );
}

function testResult(r: ChainNodeView['testResults'][number]): HTMLElement {
  const tone = r.verdict === 'fail' ? 'bad' : r.verdict === 'pass' ? 'ok' : 'muted';
  return h(
    'div',
    { class: 'test-result' },
    badge(label('verdict', r.verdict), tone),
    r.inherited ? h('small', { class: 'muted' }, ` ${t('chain.inherited')}`) : null,
    r.analytes.length ? h('small', { class: 'analyte-line' }, r.analytes.map((a) => `${a.name} ${a.value ?? '—'} ${a.unit ?? ''} (${a.limit})`).join('；')) : null,
  );
}
