import { get, post } from '../../api/client';
import type { Entity, Page, Transfer } from '../../api/types';
import { label, t } from '../../i18n/i18n';
import { alert, badge, busy, card, empty, errorView } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { dateTime, groupTraceCode, quantity } from '../../ui/format';
import { labelButton } from './label-button';

/** 待确认: goods shipped to me — confirm (a new lot with its own trace code) or reject with a reason; and what I shipped. */
export async function inboxTab(panel: HTMLElement, entity: Entity): Promise<void> {
  const incomingEl = h('div', { 'data-testid': 'incoming' });
  const outgoingEl = h('div', { 'data-testid': 'outgoing' });
  replace(panel, card(t('producer.incoming'), incomingEl), card(t('producer.outgoing'), outgoingEl));
  try {
    const [incoming, outgoing] = await Promise.all([
      get<Page<Transfer>>('/api/v1/transfers', { toEntityId: entity._id, status: 'pending', size: 100 }),
      get<Page<Transfer>>('/api/v1/transfers', { fromEntityId: entity._id, size: 50 }),
    ]);
    replace(incomingEl, incoming.items.length ? h('ul', { class: 'transfers' }, incoming.items.map((tr) => incomingView(tr))) : empty(t('producer.noIncoming')));
    replace(
      outgoingEl,
      outgoing.items.length
        ? h(
            'table',
            { class: 'table' },
            h('thead', null, h('tr', null, [t('lot.product'), t('lot.quantity'), t('producer.receiver'), t('lot.at'), t('lot.status')].map((c) => h('th', null, c)))),
            h(
              'tbody',
              null,
              outgoing.items.map((tr) =>
                h(
                  'tr',
                  null,
                  h('td', null, tr.product ?? '—'),
                  h('td', null, quantity(tr.quantity)),
                  h('td', null, tr.to.name ?? tr.to.eid ?? '—'),
                  h('td', null, dateTime(tr.initiatedAt)),
                  h('td', null, badge(label('transferStatus', tr.status), tr.status === 'confirmed' ? 'ok' : tr.status === 'rejected' ? 'bad' : 'warn')),
                ),
              ),
            ),
          )
        : empty(t('producer.noOutgoing')),
    );
  } catch (err) {
    replace(incomingEl, errorView(err));
  }
}

function incomingView(tr: Transfer): HTMLElement {
  const out = h('div', null);
  const confirm = h('button', { type: 'button', 'data-testid': 'confirm-transfer' }, t('producer.confirm'));
  const reason = h('input', { name: 'reason', placeholder: t('producer.rejectReason'), 'aria-label': t('producer.rejectReason') });
  const reject = h('button', { type: 'button', class: 'secondary', 'data-testid': 'reject-transfer' }, t('producer.reject'));
  const actions = h('div', { class: 'row' }, confirm, reason, reject);
  confirm.addEventListener('click', async () => {
    const r = await busy(confirm, out, () => post<{ childTraceCode: string }>(`/api/v1/transfers/${tr.transferId}/confirm`));
    if (!r) return;
    actions.remove();
    replace(out, alert('ok', t('producer.confirmed'), h('span', { class: 'code big', 'data-testid': 'child-code' }, groupTraceCode(r.childTraceCode)), labelButton(r.childTraceCode)));
  });
  reject.addEventListener('click', async () => {
    if (!reason.value.trim()) {
      reason.focus();
      return;
    }
    const r = await busy(reject, out, () => post(`/api/v1/transfers/${tr.transferId}/reject`, { reason: reason.value.trim() }));
    if (!r) return;
    actions.remove();
    replace(out, alert('info', t('producer.rejected')));
  });
  return h(
    'li',
    { class: 'transfer', 'data-transfer': tr.transferId },
    h('p', null, h('strong', null, `${tr.product} · ${quantity(tr.quantity)}`), ` ${t('producer.from')} `, h('span', { class: 'code small' }, tr.fromEid)),
    h('p', { class: 'muted' }, `${t('producer.sourceLot')} ${groupTraceCode(tr.fromTraceCode)} · ${dateTime(tr.initiatedAt)}`),
    actions,
    out,
  );
}
