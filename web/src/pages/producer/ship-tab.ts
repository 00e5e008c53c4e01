import { post } from '../../api/client';
import type { Entity } from '../../api/types';
import { hashHref } from '../../app/router';
import { t } from '../../i18n/i18n';
import { alert, busy, card, empty, errorView, field } from '../../ui/components';
import { formValues, h, replace } from '../../ui/dom';
import { groupTraceCode, quantity } from '../../ui/format';
import { unitSelect } from '../../ui/units';
import { myLots } from './my-lots';

/**
 * 扫码交易 (ship): part of a lot to a registered receiver by e-ID (it reserves the quantity until the receiver
 * confirms or rejects), or to an unregistered buyer recorded by hand (the chain ends there).
 */
export async function shipTab(panel: HTMLElement, entity: Entity, preselected: string): Promise<void> {
  let lots;
  try {
    lots = await myLots(entity, true);
  } catch (err) {
    replace(panel, errorView(err));
    return;
  }
  if (!lots.length) {
    replace(panel, empty(t('producer.nothingToShip')));
    return;
  }
  const out = h('div', { class: 'form-out' });
  const submit = h('button', { type: 'submit', 'data-testid': 'ship-submit' }, t('producer.shipSubmit'));
  const lotSelect = h(
    'select',
    { name: 'fromTraceCode', required: true, 'data-testid': 'ship-lot' },
    lots.map((l) => h('option', { value: l._id, selected: l._id === preselected }, `${l.product} · ${groupTraceCode(l._id)} · ${t('lot.available')} ${quantity({ amount: l.available, unit: l.unit })}`)),
  );
  const unitHolder = h('span', null);
  const syncUnit = () => {
    const lot = lots.find((l) => l._id === lotSelect.value)!;
    unitHolder.replaceChildren(field(t('lot.unit'), unitSelect('unit', lot.unit, lot.unit)));
  };
  lotSelect.addEventListener('change', syncUnit);
  syncUnit();
  const registered = h('fieldset', { class: 'stack' }, field(t('producer.receiverEid'), h('input', { name: 'eid', autocomplete: 'off', spellcheck: 'false', 'data-testid': 'ship-eid' }), t('producer.receiverEidHint')));
  const unregistered = h(
    'fieldset',
    { class: 'stack', hidden: true },
    field(t('producer.receiverName'), h('input', { name: 'name' })),
    field(t('entity.phone'), h('input', { name: 'phone', type: 'tel' })),
    field(t('entity.address'), h('input', { name: 'address' })),
  );
  const kindRadio = (kind: 'registered' | 'unregistered') =>
    h(
      'label',
      { class: 'check' },
      h('input', {
        type: 'radio',
        name: 'kind',
        value: kind,
        checked: kind === 'registered',
        onchange: () => {
          registered.hidden = kind !== 'registered';
          unregistered.hidden = kind === 'registered';
        },
      }),
      t(kind === 'registered' ? 'producer.toRegistered' : 'producer.toUnregistered'),
    );
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'stack',
      onsubmit: async (ev: SubmitEvent) => {
        ev.preventDefault();
        const v = formValues(form);
        const to =
          v.kind === 'unregistered'
            ? { kind: 'unregistered', name: v.name, ...(v.phone ? { phone: v.phone } : {}), ...(v.address ? { address: v.address } : {}) }
            : { kind: 'registered', eid: (v.eid ?? '').replace(/[-\s]/g, '').toUpperCase() };
        const r = await busy(submit, out, () =>
          post<{ transferId: string; status?: string }>('/api/v1/transfers', { fromTraceCode: v.fromTraceCode, quantity: { amount: Number(v.amount), unit: v.unit }, to }),
        );
        if (r)
          replace(
            out,
            alert(
              'ok',
              v.kind === 'unregistered' ? t('producer.shippedOffLedger') : t('producer.shipped'),
              h('span', { 'data-testid': 'transfer-id' }, `${t('producer.transferId')} ${r.transferId}`),
              h('a', { href: hashHref('/producer', { tab: 'inbox' }) }, t('producer.seeOutgoing')),
            ),
          );
      },
    },
    field(t('producer.fromLot'), lotSelect),
    h('div', { class: 'row' }, field(t('lot.quantity'), h('input', { name: 'amount', type: 'number', min: '0.001', step: '0.001', required: true, 'data-testid': 'ship-amount' })), unitHolder),
    h('div', { class: 'row' }, kindRadio('registered'), kindRadio('unregistered')),
    registered,
    unregistered,
    submit,
  );
  replace(panel, card(t('producer.tabShip'), form, out));
}
