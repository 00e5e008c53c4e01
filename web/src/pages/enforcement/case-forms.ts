import { label, t } from '../../i18n/i18n';
import { busy, field } from '../../ui/components';
import { formValues, h } from '../../ui/dom';
import { attachmentField } from '../attachments/attachments';
import { CASE_ACTION_KINDS, CASE_OUTCOMES, closeCase, recordAction, type EnforcementCase } from './enforcement-api';

const today = () => new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 10);

/**
 * 执法措施: 现场检查记录, 责令限期整改 (with its deadline, a field of the action: the platform marks the order
 * overdue when the day passes unverified), 整改复查 (naming the order verified), 行政处罚 and the rest.
 */
export function actionForm(c: EnforcementCase, onDone: () => void): HTMLElement {
  const out = h('div', { class: 'form-out' });
  const deadline = h('input', { name: 'deadline', type: 'date', min: today(), 'data-testid': 'action-deadline' });
  const deadlineField = field(t('enf.deadline'), deadline, t('enf.deadlineHint'));
  const openOrders = (c.orders ?? []).filter((o) => o.status !== 'complied');
  const orderSelect = h(
    'select',
    { name: 'orderSeq', 'data-testid': 'action-order' },
    openOrders.map((o) => h('option', { value: String(o.seq) }, t('enf.orderOption', { seq: o.seq, deadline: o.deadline, status: label('orderStatus', o.status) }))),
  );
  const orderField = field(t('enf.orderVerified'), orderSelect);
  const kinds = CASE_ACTION_KINDS.filter((k) => k !== 'rectification-verified' || openOrders.length > 0);
  const kind = h('select', { name: 'kind', 'data-testid': 'action-kind' }, kinds.map((k) => h('option', { value: k }, label('caseAction', k))));
  const showFields = () => {
    deadlineField.hidden = kind.value !== 'rectification-order';
    deadline.required = kind.value === 'rectification-order';
    orderField.hidden = kind.value !== 'rectification-verified';
  };
  kind.addEventListener('change', showFields);
  showFields();
  const evidence = attachmentField(t('enf.evidence'), 'action-files');
  const submit = h('button', { type: 'submit', 'data-testid': 'action-submit' }, t('enf.recordAction'));
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'stack',
      'data-testid': 'action-form',
      onsubmit: async (ev: SubmitEvent) => {
        ev.preventDefault();
        const v = formValues(form);
        const done = await busy(submit, out, async () => {
          const attachments = await evidence.refs();
          return recordAction(c.caseId, {
            ...(attachments.length ? { attachments } : {}),
            kind: v.kind!,
            description: v.description ?? '',
            ...(v.takenOn ? { takenOn: v.takenOn } : {}),
            ...(v.kind === 'rectification-order' && v.deadline ? { deadline: v.deadline } : {}),
            ...(v.kind === 'rectification-verified' && v.orderSeq ? { orderSeq: Number(v.orderSeq) } : {}),
          });
        });
        if (done) onDone();
      },
    },
    field(t('enf.actionKind'), kind),
    field(t('enf.takenOn'), h('input', { name: 'takenOn', type: 'date', value: today(), max: today() })),
    deadlineField,
    orderField,
    field(t('enf.description'), h('textarea', { name: 'description', rows: 3, required: true, 'data-testid': 'action-description' })),
    evidence.element,
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
