import type { HandlingEntry, IncidentDetail } from '../../api/types';
import { label, t } from '../../i18n/i18n';
import { badge, busy as submitting, empty, field } from '../../ui/components';
import { formValues, h } from '../../ui/dom';
import { dateTime } from '../../ui/format';
import { logHandling } from './incident-api';

/** 处置记录: what was done, filed and deployed, oldest first; and (while the incident is open) a form to add to it. */
export function handlingLog(incident: IncidentDetail, canRecord: boolean, refresh: () => Promise<void>): HTMLElement {
  const entries = incident.handlingLog;
  const list = entries.length ? h('ol', { class: 'handling-log', 'data-testid': 'handling-log' }, entries.map(entryView)) : empty(t('handling.none'));
  if (!canRecord || incident.status === 'closed') return h('div', null, list);

  const out = h('div', { class: 'form-out' });
  const submit = h('button', { type: 'submit', 'data-testid': 'log-submit' }, t('handling.add'));
  const form = h(
    'form',
    { class: 'stack handling-form', 'data-testid': 'log-form' },
    h(
      'div',
      { class: 'row' },
      field(t('handling.kind'), h('select', { name: 'kind', 'data-testid': 'log-kind' }, ['action', 'document', 'personnel'].map((k) => h('option', { value: k }, label('handlingKind', k))))),
      field(t('handling.person'), h('input', { name: 'person', 'data-testid': 'log-person', maxlength: 100 })),
      field(t('handling.personRole'), h('input', { name: 'personRole', maxlength: 100 })),
      field(t('handling.document'), h('input', { name: 'document', 'data-testid': 'log-document', maxlength: 200 })),
    ),
    field(t('handling.description'), h('textarea', { name: 'description', rows: 2, required: true, maxlength: 4000, 'data-testid': 'log-description' })),
    h('div', { class: 'row' }, submit),
    out,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const v = formValues(form);
    const entry = {
      kind: v.kind ?? 'action',
      description: v.description ?? '',
      documents: v.document ? [{ name: v.document }] : [],
      people: v.person ? [{ name: v.person, role: v.personRole ?? t('handling.defaultRole') }] : [],
    };
    const ok = await submitting(submit, out, () => logHandling(incident.incidentId, entry));
    if (ok) await refresh();
  });
  return h('div', { class: 'stack' }, list, form);
}

function entryView(e: HandlingEntry): HTMLElement {
  return h(
    'li',
    { 'data-testid': 'log-entry' },
    h('p', { class: 'log-head' }, badge(label('handlingKind', e.kind), 'info'), ' ', h('small', { class: 'muted' }, dateTime(e.at))),
    h('p', null, e.description),
    e.people.length ? h('p', { class: 'muted' }, `${t('handling.people')}：`, e.people.map((p) => `${p.name}（${p.role}）`).join('、')) : null,
    e.documents.length ? h('p', { class: 'muted' }, `${t('handling.documents')}：`, e.documents.map((d) => d.name).join('、')) : null,
  );
}
