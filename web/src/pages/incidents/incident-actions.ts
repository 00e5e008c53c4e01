import type { IncidentDetail } from '../../api/types';
import { session } from '../../app/session';
import { label, t, type Key } from '../../i18n/i18n';
import { alert, busy as submitting, facts, field } from '../../ui/components';
import { formValues, h, type Child } from '../../ui/dom';
import { dateTime } from '../../ui/format';
import { closeIncident, grade, publishNotice, review } from './incident-api';

export const INCIDENT_LEVELS = ['general', 'serious', 'major', 'especially-major'];

/**
 * What the responsible person and the lead agency do with an incident, as its status allows: 审核 (start the
 * response or not), 分级, 应急信息发布 while the response runs, and 结案 with the handling record.
 */
export function incidentActions(incident: IncidentDetail, refresh: () => Promise<void>): HTMLElement {
  const who = session.identity();
  const parts: Child[] = [];
  if (incident.status === 'recorded') {
    parts.push(
      who?.userId === incident.responsible.userId
        ? reviewForm(incident, refresh)
        : alert('info', t('incident.reviewByResponsible', { name: incident.responsible.name })),
    );
  }
  if (incident.status !== 'closed') {
    parts.push(gradeForm(incident, refresh));
    if (incident.status === 'responding') parts.push(noticeForm(incident, refresh));
    parts.push(closeForm(incident, refresh));
  }
  return h('div', { class: 'action-forms', 'data-testid': 'incident-actions' }, parts);
}

/** The handling record (应急事件记录) a closed incident keeps. */
export function handlingRecord(incident: IncidentDetail): HTMLElement | null {
  if (!incident.record) return null;
  return h(
    'div',
    { 'data-testid': 'handling-record' },
    facts([
      [t('close.summary'), incident.record.summary],
      [t('close.cause'), incident.record.cause],
      [t('close.measures'), incident.record.measures],
      [t('close.outcome'), incident.record.outcome],
      [t('incident.closedAt'), dateTime(incident.closedAt)],
    ]),
  );
}

/** A fieldset form whose submit runs `action(values)` and then reloads the incident. */
function actionForm(legend: Key, testid: string, fields: HTMLElement[], submitKey: Key, action: (v: Record<string, string>) => Promise<unknown>, refresh: () => Promise<void>): HTMLElement {
  const out = h('div', { class: 'form-out' });
  const submit = h('button', { type: 'submit', 'data-testid': `${testid}-submit` }, t(submitKey));
  const form = h('form', { class: 'action-form', 'data-testid': `${testid}-form` }, h('fieldset', { class: 'stack' }, h('legend', null, t(legend)), fields, h('div', { class: 'row' }, submit), out));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const ok = await submitting(submit, out, () => action(formValues(form)));
    if (ok) await refresh();
  });
  return form;
}

const text = (name: string, key: Key, testid: string, rows = 2) => field(t(key), h('textarea', { name, rows, required: true, maxlength: 4000, 'data-testid': testid }));

function reviewForm(incident: IncidentDetail, refresh: () => Promise<void>): HTMLElement {
  return actionForm(
    'review.title',
    'review',
    [
      field(
        t('review.decision'),
        h('select', { name: 'decision', 'data-testid': 'review-decision' }, h('option', { value: 'start-response' }, t('review.start')), h('option', { value: 'no-response' }, t('review.decline'))),
      ),
      text('opinion', 'review.opinion', 'review-opinion'),
      field(t('review.deadlineHours'), h('input', { name: 'hours', type: 'number', min: 1, max: 720, value: 24, 'data-testid': 'review-hours' }), t('review.deadlineHint')),
    ],
    'review.submit',
    (v) => review(incident.incidentId, v.decision ?? 'start-response', v.opinion ?? '', Number(v.hours ?? 24)),
    refresh,
  );
}

function gradeForm(incident: IncidentDetail, refresh: () => Promise<void>): HTMLElement {
  return actionForm(
    'grade.title',
    'grade',
    [
      field(
        t('incident.level'),
        h('select', { name: 'level', 'data-testid': 'grade-level' }, INCIDENT_LEVELS.map((l) => h('option', { value: l, selected: l === incident.level }, label('incidentLevel', l)))),
      ),
      text('reason', 'grade.reason', 'grade-reason', 1),
    ],
    'grade.submit',
    (v) => grade(incident.incidentId, v.level ?? incident.level, v.reason ?? ''),
    refresh,
  );
}

function noticeForm(incident: IncidentDetail, refresh: () => Promise<void>): HTMLElement {
  return actionForm(
    'notice.title',
    'notice',
    [field(t('notice.heading'), h('input', { name: 'title', required: true, maxlength: 200, 'data-testid': 'notice-heading' })), text('body', 'notice.body', 'notice-body', 3)],
    'notice.submit',
    (v) => publishNotice(incident.incidentId, v.title ?? '', v.body ?? ''),
    refresh,
  );
}

function closeForm(incident: IncidentDetail, refresh: () => Promise<void>): HTMLElement {
  return actionForm(
    'close.title',
    'close',
    [text('summary', 'close.summary', 'close-summary'), text('cause', 'close.cause', 'close-cause'), text('measures', 'close.measures', 'close-measures'), text('outcome', 'close.outcome', 'close-outcome')],
    'close.submit',
    (v) => closeIncident(incident.incidentId, { summary: v.summary ?? '', cause: v.cause ?? '', measures: v.measures ?? '', outcome: v.outcome ?? '' }),
    refresh,
  );
}
