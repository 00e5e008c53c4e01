import { label, t } from '../../i18n/i18n';
import { alert, busy } from '../../ui/components';
import { formValues, h } from '../../ui/dom';
import { change, collect, type KeyProduct, type OriginFields } from './origin-api';

const PRODUCER_TYPES = ['enterprise', 'cooperative', 'family-farm', 'household', 'broker'];
const CERTIFICATIONS = ['green', 'organic', 'geo-indication', 'other'];
const PRODUCTION_METHODS = ['open-field', 'facility'];
const TRACE_METHODS = ['compliance-certificate', 'trace-code', 'ear-tag', 'quarantine-certificate', 'package-label', 'other'];

/**
 * The 附件1 form: a new record (from the form or a map point, 直接标注) or 信息变更 of an existing one (the whole
 * form again, e.g. to fix a returned record). Coordinates are text, sent exactly as typed (≥ 6 decimals).
 */
export function recordForm(products: KeyProduct[], opts: { point?: { lat: string; lon: string }; existing?: { id: string; fields: OriginFields }; channel?: 'form' | 'map'; onSaved: (recordId: string) => void }): HTMLFormElement {
  const f = opts.existing?.fields;
  const out = h('div', { 'data-testid': 'origin-form-out' });
  const text = (name: string, value = '', attrs: Record<string, string> = {}) => h('input', { name, value, 'data-testid': `of-${name}`, ...attrs });
  const row = (key: string, control: HTMLElement) => h('label', { class: 'field' }, h('span', { class: 'field-label' }, t(`origin.field.${key}` as never)), control);
  const select = (name: string, values: string[], group: string, selected: string | null | undefined, optional = false) =>
    h('select', { name, 'data-testid': `of-${name}` }, optional ? h('option', { value: '' }, '—') : null, values.map((v) => h('option', { value: v, selected: v === selected }, group === 'product' ? (products.find((p) => p.code === v)?.name ?? v) : label(group, v))));
  const checks = (name: string, values: string[], group: string, selected: string[]) =>
    h('div', { class: 'checks', 'data-testid': `of-${name}` }, values.map((v) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: `${name}:${v}`, checked: selected.includes(v) }), label(group, v))));
  const product = products.find((p) => p.code === f?.product.code) ?? products[0]!;
  const form = h(
    'form',
    { class: 'origin-form', 'data-testid': 'origin-form', novalidate: true },
    h('div', { class: 'form-grid' },
      row('producerName', text('producerName', f?.producerName ?? '')),
      row('producerType', select('producerType', PRODUCER_TYPES, 'originProducerType', f?.producerType ?? 'cooperative')),
      row('product', select('product', products.map((p) => p.code), 'product', product.code)),
      row('alias', text('alias', f?.alias ?? '')),
      row('certification', select('certification', CERTIFICATIONS, 'originCert', f?.certification, true)),
      row('villageCode', text('villageCode', f?.address.villageCode ?? '', { inputmode: 'numeric', placeholder: '469027100200' })),
      row('detail', text('detail', f?.address.detail ?? '')),
      row('lat', text('lat', opts.point?.lat ?? f?.point.lat ?? '', { inputmode: 'decimal' })),
      row('lon', text('lon', opts.point?.lon ?? f?.point.lon ?? '', { inputmode: 'decimal' })),
      row('contactName', text('contactName', f?.contact.name ?? '')),
      row('contactMobile', text('contactMobile', f?.contact.mobile ?? '', { inputmode: 'tel' })),
      row('scaleAmount', text('scaleAmount', f?.scale.entered?.amount ?? f?.scale.amount ?? '', { inputmode: 'decimal' })),
      row('scaleUnit', select('scaleUnit', ['亩', '头', '只', '㎡'], 'unit', f?.scale.entered?.unit ?? f?.scale.unit ?? product.unit)),
      row('aquacultureMode', select('aquacultureMode', ['pond', 'factory'], 'originAquaculture', f?.aquacultureMode, true)),
      row('marketingFrom', text('marketingFrom', f?.marketing?.from ?? '', { placeholder: '2026-05' })),
      row('marketingTo', text('marketingTo', f?.marketing?.to ?? '', { placeholder: '2026-09' })),
      row('productionMethods', checks('productionMethods', PRODUCTION_METHODS, 'originMethod', f?.productionMethods ?? [])),
      row('traceMethods', checks('traceMethods', TRACE_METHODS, 'originTrace', f?.traceMethods ?? [])),
      row('creditRating', text('creditRating', f?.creditRating ?? '')),
      row('gridWorkerName', text('gridWorkerName', f?.gridWorker.name ?? '')),
      row('gridWorkerMobile', text('gridWorkerMobile', f?.gridWorker.mobile ?? '', { inputmode: 'tel' })),
      row('collectorName', text('collectorName', f?.collector.name ?? '')),
      row('collectorMobile', text('collectorMobile', f?.collector.mobile ?? '', { inputmode: 'tel' })),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit', 'data-testid': 'origin-save' }, opts.existing ? t('origin.saveChange') : t('origin.save'))),
    out,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = formValues(form);
    const picked = (name: string, values: string[]) => values.filter((x) => (form.elements.namedItem(`${name}:${x}`) as HTMLInputElement | null)?.checked);
    const chosen = products.find((p) => p.code === v.product)!;
    const planting = chosen.industry === 'planting';
    const fields = {
      producerName: v.producerName,
      producerType: v.producerType,
      industry: chosen.industry,
      product: chosen.code,
      alias: v.alias,
      certification: v.certification || null,
      address: { villageCode: v.villageCode, detail: v.detail },
      point: { lat: v.lat, lon: v.lon },
      contact: { name: v.contactName, mobile: v.contactMobile },
      scale: { amount: v.scaleAmount, unit: v.scaleUnit },
      aquacultureMode: v.aquacultureMode || null,
      marketing: planting ? { from: v.marketingFrom, to: v.marketingTo } : null,
      productionMethods: planting ? picked('productionMethods', PRODUCTION_METHODS) : [],
      traceMethods: picked('traceMethods', TRACE_METHODS),
      creditRating: v.creditRating,
      gridWorker: { name: v.gridWorkerName, mobile: v.gridWorkerMobile },
      collector: { name: v.collectorName, mobile: v.collectorMobile },
      ...(f?.entityId ? { entityId: f.entityId } : {}),
    };
    const button = form.querySelector('button[type=submit]') as HTMLButtonElement;
    void busy(button, out, async () => {
      const id = opts.existing ? (await change(opts.existing.id, fields), opts.existing.id) : (await collect(fields, opts.channel ?? 'form')).recordId;
      out.replaceChildren(alert('ok', opts.existing ? t('origin.changed') : t('origin.saved')));
      opts.onSaved(id);
    });
  });
  return form;
}

/** 直接标注: the form in a dialog over the map, the clicked point filled in. */
export function recordDialog(products: KeyProduct[], point: { lat: string; lon: string }, onDone: () => void): HTMLElement {
  const dialog = h('div', { class: 'origin-dialog', role: 'dialog', 'aria-modal': 'true', 'aria-label': t('origin.placeTitle'), 'data-testid': 'origin-dialog' });
  const close = h('button', { type: 'button', class: 'link', 'data-testid': 'origin-dialog-close', onclick: onDone }, t('origin.close'));
  dialog.append(h('div', { class: 'dialog-head' }, h('h2', null, t('origin.placeTitle')), close), recordForm(products, { point, channel: 'map', onSaved: () => setTimeout(onDone, 800) }));
  return dialog;
}
