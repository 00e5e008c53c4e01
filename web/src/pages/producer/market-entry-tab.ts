import { openPdf, post } from '../../api/client';
import type { Certificate, Entity } from '../../api/types';
import { label, t } from '../../i18n/i18n';
import { alert, busy, card, empty, errorView, field } from '../../ui/components';
import { formValues, h, replace } from '../../ui/dom';
import { groupTraceCode, quantity } from '../../ui/format';
import { regionPicker } from '../../ui/region-picker';
import { unitSelect } from '../../ui/units';
import { myLots } from './my-lots';

/** 入市追溯凭证: a certificate for (part of) a lot entering a market or a processor, printed as a PDF. */
export async function marketEntryTab(panel: HTMLElement, entity: Entity, preselected: string): Promise<void> {
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
  const submit = h('button', { type: 'submit', 'data-testid': 'market-submit' }, t('producer.marketSubmit'));
  const lotSelect = h(
    'select',
    { name: 'traceCode', required: true },
    lots.map((l) => h('option', { value: l._id, selected: l._id === preselected }, `${l.product} · ${groupTraceCode(l._id)} · ${quantity({ amount: l.available, unit: l.unit })}`)),
  );
  const unitHolder = h('span', null);
  const syncUnit = () => {
    const lot = lots.find((l) => l._id === lotSelect.value)!;
    unitHolder.replaceChildren(field(t('lot.unit'), unitSelect('unit', lot.unit, lot.unit)));
  };
  lotSelect.addEventListener('change', syncUnit);
  syncUnit();
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'stack',
      onsubmit: async (ev: SubmitEvent) => {
        ev.preventDefault();
        const v = formValues(form);
        if (!v.marketRegion || v.marketRegion.length !== 6) {
          replace(out, alert('warn', t('register.countyRequired')));
          return;
        }
        const cert = await busy(submit, out, () =>
          post<Certificate & { traceCode: string }>('/api/v1/market-entries', {
            traceCode: v.traceCode,
            market: { name: v.marketName, kind: v.marketKind, regionCode: v.marketRegion },
            quantity: { amount: Number(v.amount), unit: v.unit },
          }),
        );
        if (!cert) return;
        const pdf = h('button', { type: 'button', 'data-testid': 'certificate-pdf' }, t('lot.certificatePdf'));
        const pdfOut = h('span', null);
        pdf.addEventListener('click', () => void busy(pdf, pdfOut, () => openPdf(`/api/v1/lots/${v.traceCode}/certificates/${cert.certificateNo}.pdf`, `${cert.certificateNo}.pdf`)));
        replace(out, alert('ok', t('producer.certified'), h('span', { class: 'code' }, cert.certificateNo), h('span', null, pdf, pdfOut)));
      },
    },
    field(t('producer.fromLot'), lotSelect),
    field(t('producer.marketName'), h('input', { name: 'marketName', required: true })),
    field(
      t('producer.marketKind'),
      h('select', { name: 'marketKind' }, ['wholesale', 'retail', 'processor'].map((k) => h('option', { value: k }, label('marketKind', k)))),
    ),
    h('div', { class: 'field' }, h('span', { class: 'field-label' }, t('producer.marketRegion')), regionPicker('', () => undefined, { name: 'marketRegion' })),
    h('div', { class: 'row' }, field(t('lot.quantity'), h('input', { name: 'amount', type: 'number', min: '0.001', step: '0.001', required: true })), unitHolder),
    submit,
  );
  replace(panel, card(t('producer.tabMarket'), form, out));
}
