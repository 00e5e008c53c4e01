import { session } from '../../app/session';
import { go } from '../../app/router';
import { t } from '../../i18n/i18n';
import { busy, facts, field } from '../../ui/components';
import { formValues, h, replace } from '../../ui/dom';
import { date, groupTraceCode } from '../../ui/format';
import { regionPicker } from '../../ui/region-picker';
import { getLot, takeSample, traceCodeFromScan, type MonitoringTask } from './lab-api';
import { instantOf, localInputValue } from './lab-labels';

/**
 * 抽样: scan the label (the phone's scanner types the label's URL `…/t/{code}` into the field, or the code)
 * and the sample is filled in from the lot — product, holder, place; the API takes the lot's details from
 * the ledger itself. Without a code, the product and the entity are entered by hand.
 */
export function sampleForm(task: MonitoringTask): HTMLElement {
  const out = h('div', { class: 'form-out' });
  const lotOut = h('div', { 'data-testid': 'sample-lot' });
  let traceCode: string | null = null;

  const placeRegion = h('div', null, regionPicker('', () => undefined, { countyOnly: true, name: 'placeRegion' }));
  const placeAddress = h('input', { name: 'placeAddress', required: true, 'data-testid': 'sample-place' });
  const scan = h('input', { name: 'scan', autocomplete: 'off', inputmode: 'url', 'data-testid': 'sample-scan', placeholder: t('lab.scanPlaceholder') });
  const manualBox = h('input', { type: 'checkbox', name: 'byHand', 'data-testid': 'sample-by-hand' });
  const manualFields = h(
    'fieldset',
    { class: 'stack', hidden: true, 'data-testid': 'sample-manual' },
    h('legend', null, t('lab.manualTitle')),
    field(t('lab.product'), h('select', { name: 'product' }, (task.model?.products ?? []).map((p) => h('option', { value: p }, p)))),
    field(t('lab.entityName'), h('input', { name: 'entityName' })),
    field(t('lab.entityRegion'), regionPicker('', () => undefined, { countyOnly: true, name: 'entityRegion' })),
    field(t('lab.entityAddress'), h('input', { name: 'entityAddress' })),
    field(t('lab.contactPhone'), h('input', { name: 'contactPhone', type: 'tel' })),
    field(t('lab.productionDate'), h('input', { name: 'productionDate', type: 'date' })),
    field(t('lab.batchNo'), h('input', { name: 'batchNo' })),
  );

  async function lookUp(): Promise<void> {
    const code = traceCodeFromScan(scan.value);
    traceCode = null;
    if (!code) {
      replace(lotOut, scan.value.trim() ? h('p', { class: 'alert warn', role: 'status' }, t('lab.scanNotCode')) : null);
      return;
    }
    const lot = await busy(null, lotOut, () => getLot(code));
    if (!lot) return;
    traceCode = code;
    replace(
      lotOut,
      facts([
        [t('lot.code'), h('span', { class: 'code', 'data-testid': 'sample-lot-code' }, groupTraceCode(code))],
        [t('lot.product'), h('span', { 'data-testid': 'sample-lot-product' }, lot.product)],
        [t('lot.holder'), `${lot.holder.name}${lot.holder.eid ? ` (${lot.holder.eid})` : ''}`],
        [t('lot.base'), lot.base?.name],
        [t('lot.produced'), date(lot.productionDate)],
      ]),
    );
    // The place defaults to where the lot is: its holder (the producer's base for an origin lot).
    const region = lot.base && lot.depth === 0 ? lot.base.regionCode : lot.holder.regionCode;
    replace(placeRegion, regionPicker(region, () => undefined, { countyOnly: true, name: 'placeRegion' }));
    if (!placeAddress.value) placeAddress.value = [lot.holder.name, lot.depth === 0 ? lot.base?.name : null].filter(Boolean).join(' ');
  }
  scan.addEventListener('change', () => void lookUp());
  manualBox.addEventListener('change', () => {
    manualFields.hidden = !manualBox.checked;
    scan.disabled = manualBox.checked;
  });

  const me = session.identity();
  const submit = h('button', { type: 'submit', 'data-testid': 'sample-submit' }, t('lab.takeSample'));
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'stack',
      'data-testid': 'sample-form',
      onsubmit: async (ev: SubmitEvent) => {
        ev.preventDefault();
        const v = formValues(form);
        const body: Record<string, unknown> = {
          taskId: task.taskId,
          place: { address: v.placeAddress, regionCode: v.placeRegion },
          sampledAt: instantOf(v.sampledAt ?? localInputValue(new Date())),
          sampler: { name: v.samplerName, ...(v.certificateNo ? { certificateNo: v.certificateNo } : {}) },
          ...(v.quantity ? { quantity: { amount: Number(v.quantity), unit: 'kg' } } : {}),
          ...(v.note ? { note: v.note } : {}),
        };
        if (manualBox.checked) {
          body.manual = {
            product: v.product,
            entityName: v.entityName,
            regionCode: v.entityRegion,
            ...(v.entityAddress ? { address: v.entityAddress } : {}),
            ...(v.contactPhone ? { contactPhone: v.contactPhone } : {}),
            ...(v.productionDate ? { productionDate: v.productionDate } : {}),
            ...(v.batchNo ? { batchNo: v.batchNo } : {}),
          };
        } else {
          if (!traceCode) await lookUp();
          if (!traceCode) return;
          body.traceCode = traceCode;
        }
        const taken = await busy(submit, out, () => takeSample(body));
        if (taken) go(`#/lab/samples/${encodeURIComponent(taken.sampleId)}`);
      },
    },
    field(t('lab.scan'), scan, t('lab.scanHint')),
    lotOut,
    h('label', { class: 'check' }, manualBox, ' ', t('lab.byHand')),
    manualFields,
    field(t('lab.placeRegion'), placeRegion),
    field(t('lab.placeAddress'), placeAddress),
    field(t('lab.sampledAt'), h('input', { name: 'sampledAt', type: 'datetime-local', required: true, value: localInputValue(new Date()) })),
    field(t('lab.sampler'), h('input', { name: 'samplerName', required: true, value: me?.displayName ?? '', 'data-testid': 'sample-sampler' })),
    field(t('lab.certificateNo'), h('input', { name: 'certificateNo' })),
    field(t('lab.quantityKg'), h('input', { name: 'quantity', type: 'number', min: '0', step: 'any', inputmode: 'decimal' })),
    field(t('lab.note'), h('textarea', { name: 'note', rows: 2 })),
    submit,
  );
  return h('div', null, form, out);
}
