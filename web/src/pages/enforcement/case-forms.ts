import { label, t } from '../../i18n/i18n';
import { busy, field } from '../../ui/components';
import { formValues, h } from '../../ui/dom';
import { CASE_ACTION_KINDS, CASE_OUTCOMES, closeCase, recordAction, type EnforcementCase } from './enforcement-api';

const today = () => new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 10);

/**
 * 执法措施: 现场检查记录, 责令限期整改, 行政处罚 and the rest. The API's action has no deadline field, so the
 * deadline of a rectification order is written into the action's description (and shown with it).
 */
export function actionForm(c: EnforcementCase, onDone: () => void): HTMLElement {
  const out = h('div', { class: 'form-out' });
  const deadline = h('input', { name: 'deadline', type: 'date', 'data-testid': 'action-deadline' });
  const deadlineField = field(t('enf.deadline'), deadline, t('enf.deadlineHint'));
  const kind = h('select', { name: 'kind', 'data-testid': 'action-kind' }, CASE_ACTION_KINDS.map((k) => h('option', { value: k }, label('caseAction', k))));
  const showDeadline = () => {
    deadlineField.hidden = kind.value !== 'rectification-order';
    deadline.required = kind.value === 'rectification-order';
  };
  kind.addEventListener('change', showDeadline);
  showDeadline();
  const submit = h('button', { type: 'submit', 'data-testid': 'action-submit' }, t('enf.recordAction'));
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'stack',
      'data-testid': 'action-form',
      onsubmit: async (ev: SubmitEvent) => {
        ev.preventDefault();
        const v = formValues(form);
        const description = v.kind === 'rectification-order' && v.deadline ? `${t('enf.deadlineLine', { date: v.deadline })}${v.description ?? ''}` : (v.description ?? '');
        const done = await busy(submit, out, () => recordAction(c.caseId, { kind: v.kind!, description, ...(v.takenOn ? { takenOn: v.takenOn } : {}) }));
        if (done) onDone();
      },
    },
    field(t('enf.actionKind'), kind),
    field(t('enf.takenOn'), h('input', { name: 'takenOn', type: 'date', value: today(), max: today() })),
    deadlineField,
    field(t('enf.description'), h('textarea', { name: 'description', rows: 3, required: true, 'data-testid': 'action-description' })),
    submit,
  );
  return h('div', null, form, out);
}

/** 结案 with the outcome (查处结果); a penalty records its amount. Closing lifts the holds the case owns. */
export function closeForm(c: EnforcementCase, onDone: (liftedLots: string[]) => void): HTMLElement {
  const out = h('div', { class: 'form-out' });
  const outcome = h('select', { name: 'outcome', 'data-testid': 'close-outcome' }, CASE_OUTCOMES.map((o) => h('option', { value: o }, label('caseOutcome', o))));
  const penalty = h('input', { name: 'penaltyYuan', type: 'number', min: '0', step: '0.01', inputmode: 'decimal', 'data-testid': 'close-penalty' });
  const penaltyField = field(t('enf.penaltyYuan'), penalty);
  const showPenalty = () => {
    penaltyField.hidden = outcome.value !== 'penalized';
    penalty.required = outcome.value === 'penalized';
  };
  outcome.addEventListener('change', showPenalty);
  showPenalty();
  const submit = h('button', { type: 'submit', 'data-testid': 'close-submit' }, t('enf.close'));
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'stack',
      'data-testid': 'close-form',
      onsubmit: async (ev: SubmitEvent) => {
        ev.preventDefault();
        const v = formValues(form);
        const closed = await busy(submit, out, () =>
          closeCase(c.caseId, { outcome: v.outcome!, summary: v.summary ?? '', ...(v.outcome === 'penalized' && v.penaltyYuan ? { penaltyYuan: Number(v.penaltyYuan) } : {}) }),
        );
        if (closed) onDone(closed.liftedLots);
      },
    },
    field(t('enf.outcome'), outcome),
    penaltyField,
    field(t('enf.closeSummary'), h('textarea', { name: 'summary', rows: 3, required: true, 'data-testid': 'close-summary' })),
    submit,
  );
  return h('div', null, form, out);
}
