import { post } from '../../api/client';
import type { Entity } from '../../api/types';
import { t } from '../../i18n/i18n';
import { alert, busy, card, field } from '../../ui/components';
import { formValues, h, replace } from '../../ui/dom';
import { groupTraceCode } from '../../ui/format';
import { unitSelect } from '../../ui/units';
import { labelButton } from './label-button';

/** 新建批次: a lot at one of my bases → its trace code, the label to print and the public page. */
export function createLotTab(panel: HTMLElement, entity: Entity): void {
  const today = new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
  const products = [...new Set(entity.bases.flatMap((b) => b.products ?? []).concat(entity.products))];
  const out = h('div', { class: 'form-out' });
  const submit = h('button', { type: 'submit', 'data-testid': 'create-lot-submit' }, t('producer.createSubmit'));
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'stack',
      onsubmit: async (ev: SubmitEvent) => {
        ev.preventDefault();
        const v = formValues(form);
        const r = await busy(submit, out, () =>
          post<{ traceCode: string; labelUrl?: string }>('/api/v1/lots', {
            entityId: entity._id,
            baseId: v.baseId,
            product: v.product,
            quantity: { amount: Number(v.amount), unit: v.unit },
            productionDate: v.productionDate,
          }),
        );
        if (!r) return;
        replace(
          out,
          alert(
            'ok',
            t('producer.created'),
            h('span', { class: 'code big', 'data-testid': 'created-code' }, groupTraceCode(r.traceCode)),
            h('span', { class: 'row' }, labelButton(r.traceCode), h('a', { href: `/t/${r.traceCode}`, target: '_blank', rel: 'noopener' }, t('links.publicPage'))),
          ),
        );
        form.reset();
      },
    },
    field(t('lot.base'), h('select', { name: 'baseId', required: true, 'data-testid': 'lot-base' }, entity.bases.map((b) => h('option', { value: b.baseId }, `${b.name} (${b.baseId})`)))),
    field(
      t('lot.product'),
      h('input', { name: 'product', required: true, list: 'product-options', value: products[0] ?? '', 'data-testid': 'lot-product' }),
    ),
    h('datalist', { id: 'product-options' }, products.map((p) => h('option', { value: p }))),
    h('div', { class: 'row' }, field(t('lot.quantity'), h('input', { name: 'amount', type: 'number', min: '0.001', step: '0.001', required: true, 'data-testid': 'lot-amount' })), field(t('lot.unit'), unitSelect('unit'))),
    field(t('lot.produced'), h('input', { name: 'productionDate', type: 'date', value: today, max: today, required: true, 'data-testid': 'lot-date' })),
    submit,
  );
  replace(panel, card(t('producer.tabCreate'), form, out));
}
