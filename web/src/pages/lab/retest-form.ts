import { session } from '../../app/session';
import { t } from '../../i18n/i18n';
import { busy, field } from '../../ui/components';
import { formValues, h } from '../../ui/dom';
import { requestRetest, type Sample } from './lab-api';

/**
 * 复检申请 (seed 002, 第二十四条): a disputed failure is tested again, by this lab or another one. The API
 * decides who may ask (task.manage in the sample's region); a refusal is shown by its code.
 */
export function retestForm(sample: Sample, onRequested: () => void): HTMLElement {
  const me = session.identity();
  const out = h('div', { class: 'form-out' });
  const submit = h('button', { type: 'submit', class: 'secondary', 'data-testid': 'retest-submit' }, t('lab.requestRetest'));
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'stack',
      'data-testid': 'retest-form',
      onsubmit: async (ev: SubmitEvent) => {
        ev.preventDefault();
        const v = formValues(form);
        const done = await busy(submit, out, () =>
          requestRetest(sample.sampleId, { reason: v.reason, retestLab: { orgId: v.retestLabId, name: v.retestLabName }, requestedBy: v.requestedBy }),
        );
        if (done) onRequested();
      },
    },
    field(t('lab.retestReason'), h('textarea', { name: 'reason', rows: 2, required: true })),
    field(t('lab.retestLabId'), h('input', { name: 'retestLabId', required: true, value: me?.orgId ?? '' })),
    field(t('lab.retestLabName'), h('input', { name: 'retestLabName', required: true, value: me?.displayName ?? '' })),
    field(t('lab.requestedBy'), h('input', { name: 'requestedBy', required: true, value: me?.displayName ?? '' })),
    submit,
  );
  return h('div', null, form, out);
}
