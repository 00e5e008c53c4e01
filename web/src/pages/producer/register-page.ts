import { post } from '../../api/client';
import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { label, t } from '../../i18n/i18n';
import { alert, busy, field, pageCard } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { dateTime } from '../../ui/format';
import { regionPicker } from '../../ui/region-picker';
import { session } from '../../app/session';
import { attachmentField } from '../attachments/attachments';

const ENTITY_TYPES = ['enterprise', 'cooperative', 'familyFarm', 'slaughterhouse', 'household'];
const splitList = (s: string) => s.split(/[,，、;；\s]+/).map((x) => x.trim()).filter(Boolean);

/**
 * 主体注册申请: anyone may apply; the county reviews within 5 working days and approval issues the e-ID.
 * Bases need coordinates to 6 decimals (seed 003): click the map to place one, or type them.
 */
export const registerPage: Page = async (root) => {
  setTitle(t('register.title'));
  const out = h('div', { class: 'form-out', 'data-testid': 'register-out' });
  let region = '';
  const basesEl = h('div', { class: 'bases' });
  const mapEl = h('div', { class: 'small-map', 'data-testid': 'register-map' });
  let activeBase: HTMLFieldSetElement | null = null;

  const addBase = () => {
    const n = basesEl.children.length + 1;
    const fs: HTMLFieldSetElement = h(
      'fieldset',
      { class: 'base stack', onfocusin: () => (activeBase = fs) },
      h('legend', null, t('register.baseN', { n })),
      field(t('register.baseName'), h('input', { name: 'baseName', required: true })),
      field(t('entity.address'), h('input', { name: 'baseAddress', required: true })),
      h(
        'div',
        { class: 'row' },
        field(t('register.lat'), h('input', { name: 'lat', type: 'number', step: '0.000001', min: '-90', max: '90', required: true })),
        field(t('register.lon'), h('input', { name: 'lon', type: 'number', step: '0.000001', min: '-180', max: '180', required: true })),
        field(t('register.area'), h('input', { name: 'areaMu', type: 'number', step: '0.01', min: '0' })),
      ),
      field(t('register.baseProducts'), h('input', { name: 'baseProducts', required: true }), t('register.listHint')),
    );
    basesEl.append(fs);
    activeBase = fs;
  };
  addBase();

  // 证明材料: uploads are for signed-in accounts (the public does not fill the store); anonymous applicants bring them to the review.
  const proofs = session.identity() ? attachmentField(t('register.proofs'), 'register-proofs') : null;
  const submit = h('button', { type: 'submit', 'data-testid': 'register-submit' }, t('register.submit'));
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'stack',
      onsubmit: async (ev: SubmitEvent) => {
        ev.preventDefault();
        if (region.length !== 6) {
          replace(out, alert('warn', t('register.countyRequired')));
          return;
        }
        const value = (el: ParentNode, name: string) => (el.querySelector(`[name="${name}"]`) as HTMLInputElement | HTMLSelectElement | null)?.value.trim() ?? '';
        const bases = [...basesEl.querySelectorAll('fieldset')].map((fs) => ({
          name: value(fs, 'baseName'),
          regionCode: region,
          address: value(fs, 'baseAddress'),
          lat: Number(value(fs, 'lat')),
          lon: Number(value(fs, 'lon')),
          ...(value(fs, 'areaMu') ? { areaMu: Number(value(fs, 'areaMu')) } : {}),
          products: splitList(value(fs, 'baseProducts')),
        }));
        const creditCode = value(form, 'creditCode').toUpperCase();
        const r = await busy(submit, out, async () => {
          const attachments = proofs ? await proofs.refs() : [];
          return post<{ entityId: string; status: string; reviewDeadline: string }>('/api/v1/entities', {
            ...(attachments.length ? { attachments } : {}),
            name: value(form, 'name'),
            entityType: value(form, 'entityType'),
            regionCode: region,
            address: value(form, 'address'),
            legalRepresentative: value(form, 'legalRepresentative'),
            contactPhone: value(form, 'contactPhone'),
            ...(creditCode ? { creditCode } : {}),
            products: splitList(value(form, 'products')),
            bases,
          });
        });
        if (r)
          replace(
            out,
            alert('ok', t('register.submitted'), h('span', null, `${t('register.applicationId')} `, h('code', { 'data-testid': 'application-id' }, r.entityId)), t('register.deadline', { deadline: dateTime(r.reviewDeadline) })),
          );
      },
    },
    field(t('register.name'), h('input', { name: 'name', required: true, 'data-testid': 'reg-name' })),
    field(t('register.type'), h('select', { name: 'entityType' }, ENTITY_TYPES.map((ty) => h('option', { value: ty }, label('entityType', ty))))),
    h('div', { class: 'field' }, h('span', { class: 'field-label' }, t('register.region')), regionPicker('', (r) => (region = r))),
    field(t('entity.address'), h('input', { name: 'address', required: true })),
    h(
      'div',
      { class: 'row' },
      field(t('entity.legalRep'), h('input', { name: 'legalRepresentative', required: true })),
      field(t('entity.phone'), h('input', { name: 'contactPhone', type: 'tel', required: true })),
    ),
    field(t('entity.creditCode'), h('input', { name: 'creditCode', maxlength: 18, pattern: '[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{18}' }), t('register.creditHint')),
    field(t('entity.products'), h('input', { name: 'products', required: true }), t('register.listHint')),
    h('h2', null, t('entity.bases')),
    h('p', { class: 'muted' }, t('register.mapHint')),
    mapEl,
    basesEl,
    h('button', { type: 'button', class: 'secondary', onclick: addBase }, t('register.addBase')),
    proofs ? proofs.element : h('p', { class: 'muted' }, t('register.proofsAnonymous')),
    submit,
  );
  replace(root, h('div', { class: 'narrow wide' }, pageCard(t('register.title'), h('p', { class: 'muted' }, t('register.lead')), form, out)));

  const { createBaseMap, pin, L } = await import('../../map/base-map');
  const m = createBaseMap(mapEl);
  const marker = L.marker([0, 0], { icon: pin('base') });
  m.map.on('click', (ev: L.LeafletMouseEvent) => {
    if (!activeBase) return;
    (activeBase.querySelector('[name="lat"]') as HTMLInputElement).value = ev.latlng.lat.toFixed(6);
    (activeBase.querySelector('[name="lon"]') as HTMLInputElement).value = ev.latlng.lng.toFixed(6);
    marker.setLatLng(ev.latlng).addTo(m.map);
  });
  return () => m.destroy();
};
