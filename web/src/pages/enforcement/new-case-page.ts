import { ApiError } from '../../api/errors';
import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { go } from '../../app/router';
import { session } from '../../app/session';
import { label, t } from '../../i18n/i18n';
import { busy, card, field } from '../../ui/components';
import { formValues, h, replace } from '../../ui/dom';
import { normaliseTraceCode } from '../../ui/format';
import { regionPicker } from '../../ui/region-picker';
import { entityByEid, openCase, OWN_CASE_SOURCES } from './enforcement-api';

/**
 * 自行立案 (`#/cases/new`): enforcement opens a case itself, from what it found on site, a complaint or a
 * tip-off — against a registered entity (by its e-ID, checked against the registry before sending) or a party
 * that is not registered, recorded here as it was found. The API decides the region and the rest.
 */
export const newCasePage: Page = async (root, route) => {
  setTitle(t('enf.newTitle'));
  const who = session.identity();
  const out = h('div', { class: 'form-out' });
  const registeredBox = h('div', { class: 'stack', 'data-testid': 'subject-registered' }, field(t('enf.eid'), h('input', { name: 'eid', autocomplete: 'off', 'data-testid': 'case-eid' }), t('enf.eidHint')));
  const unregisteredBox = h(
    'div',
    { class: 'stack', 'data-testid': 'subject-unregistered' },
    field(t('enf.partyName'), h('input', { name: 'name', 'data-testid': 'party-name' })),
    field(t('enf.region'), regionPicker((who?.regionCode ?? '').slice(0, 6), () => undefined, { countyOnly: true, name: 'regionCode' })),
    field(t('enf.partyAddress'), h('input', { name: 'address', 'data-testid': 'party-address' })),
    field(t('enf.partyResponsible'), h('input', { name: 'responsible', 'data-testid': 'party-responsible' })),
    field(t('enf.partyPhone'), h('input', { name: 'phone', type: 'tel', inputmode: 'tel' })),
    field(t('enf.partyCreditCode'), h('input', { name: 'creditCode', maxlength: 18, autocapitalize: 'characters' })),
  );
  const kind = (value: 'registered' | 'unregistered') =>
    h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'subjectKind', value, checked: value === (route.query.get('subject') ?? 'registered'), 'data-testid': `subject-kind-${value}` }), ` ${t(`enf.subject.${value}`)}`);
  const submit = h('button', { type: 'submit', 'data-testid': 'case-open-submit' }, t('enf.open'));
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'stack',
      'data-testid': 'new-case-form',
      onchange: () => showSubject(),
      onsubmit: async (ev: SubmitEvent) => {
        ev.preventDefault();
        const v = formValues(form);
        const opened = await busy(submit, out, async () => {
          const subject =
            v.subjectKind === 'unregistered'
              ? { unregistered: { name: v.name ?? '', regionCode: v.regionCode ?? '', address: v.address ?? '', ...pick(v, 'responsible', 'phone', 'creditCode') } }
              : { entityId: await entityIdOf(v.eid ?? '') };
          const traceCodes = (v.traceCodes ?? '').split(/[\s,，、]+/).map(normaliseTraceCode).filter((c): c is string => Boolean(c));
          return openCase({ source: v.source, ...pick(v, 'ref', 'product'), subject, ...(traceCodes.length ? { traceCodes } : {}), summary: v.summary ?? '' });
        });
        if (opened) go(`#/cases/${encodeURIComponent(opened.caseId)}`);
      },
    },
    h('fieldset', null, h('legend', null, t('enf.subject')), h('div', { class: 'choices' }, kind('registered'), kind('unregistered')), registeredBox, unregisteredBox),
    field(t('enf.source'), h('select', { name: 'source', 'data-testid': 'case-source' }, OWN_CASE_SOURCES.map((s) => h('option', { value: s }, label('caseSource', s))))),
    field(t('enf.sourceRef'), h('input', { name: 'ref', value: route.query.get('ref') ?? '' }), t('enf.sourceRefHint')),
    field(t('enf.product'), h('input', { name: 'product', 'data-testid': 'case-product' })),
    field(t('enf.traceCodes'), h('input', { name: 'traceCodes', autocomplete: 'off' }), t('enf.traceCodesHint')),
    field(t('enf.summary'), h('textarea', { name: 'summary', rows: 3, required: true, 'data-testid': 'case-summary' })),
    submit,
  );
  function showSubject(): void {
    const unregistered = (form.elements.namedItem('subjectKind') as RadioNodeList).value === 'unregistered';
    registeredBox.hidden = unregistered;
    unregisteredBox.hidden = !unregistered;
    (form.elements.namedItem('eid') as HTMLInputElement).required = !unregistered;
    for (const name of ['name', 'address']) (form.elements.namedItem(name) as HTMLInputElement).required = unregistered;
  }
  replace(root, h('p', null, h('a', { href: '#/cases' }, `‹ ${t('enf.title')}`)), h('h1', null, t('enf.newTitle')), card(null, form, out));
  showSubject();
};

/** The entity an e-ID names, from the registry in the caller's reach; a typo is said before anything is sent. */
async function entityIdOf(eid: string): Promise<string> {
  const found = await entityByEid(eid);
  const entity = found.items[0];
  // Said as the API says an unknown record, naming the field (api/errors.ts shows it in the user's language).
  if (!entity) throw new ApiError(404, 'NOT_FOUND', `entity ${eid} not found`, { field: 'eid' });
  return entity._id;
}

function pick(v: Record<string, string>, ...keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.filter((k) => v[k]).map((k) => [k, v[k]!]));
}
