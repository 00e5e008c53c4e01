import { CONCENTRATION_UNITS } from '../../../../domain/sampling/concentration';
import { t } from '../../i18n/i18n';
import { busy, field } from '../../ui/components';
import { formValues, h, replace } from '../../ui/dom';
import { attachmentField } from '../attachments/attachments';
import { recordResult, type MonitoringTask, type RecordedResult, type Sample } from './lab-api';
import { instantOf, localInputValue, verdictBadge } from './lab-labels';
import { limitText } from './model-view';
import { previewVerdict, type ResultEntry } from './verdict-preview';

/**
 * 检测结果录入: one row per analyte of the task's model (value with its unit, or 未检出), judged against the
 * limits as the lab types — by the server's own rule — so the verdict is on screen before anything is saved.
 */
export function resultForm(task: MonitoringTask, sample: Sample, onSaved: (result: RecordedResult) => void): HTMLElement {
  // The model as the task holds it carries the detection limits (the sample's copy keeps only the limits).
  const analytes = task.model?.analytes ?? [];
  const verdictOut = h('div', { class: 'verdict-preview', 'aria-live': 'polite', 'data-testid': 'verdict-preview' });
  const rowVerdicts = new Map<string, HTMLElement>();
  const out = h('div', { class: 'form-out' });

  const rows = analytes.map((a) => {
    const value = h('input', { name: `value.${a.code}`, type: 'number', min: '0', step: 'any', inputmode: 'decimal', 'aria-label': `${a.name} ${t('lab.value')}`, 'data-testid': `value-${a.code}` });
    const unit = h(
      'select',
      { name: `unit.${a.code}`, 'aria-label': `${a.name} ${t('lab.unit')}` },
      CONCENTRATION_UNITS.map((u) => h('option', { value: u, selected: a.limit.kind === 'max' ? u === a.limit.unit : u === 'mg/kg' }, u)),
    );
    const nd = h('input', { type: 'checkbox', name: `nd.${a.code}`, 'aria-label': `${a.name} ${t('lab.notDetected')}`, 'data-testid': `nd-${a.code}` });
    nd.addEventListener('change', () => {
      value.disabled = nd.checked;
      unit.disabled = nd.checked;
    });
    const verdictCell = h('td', { 'data-testid': `row-verdict-${a.code}` });
    rowVerdicts.set(a.code, verdictCell);
    return h('tr', null, h('th', { scope: 'row' }, a.name), h('td', null, limitText(a.limit)), h('td', null, value, ' ', unit), h('td', null, h('label', { class: 'check' }, nd, ' ', t('lab.notDetected'))), verdictCell);
  });

  const entries = (v: Record<string, string>): ResultEntry[] =>
    analytes.map((a) =>
      v[`nd.${a.code}`] ? { code: a.code, notDetected: true } : { code: a.code, ...(v[`value.${a.code}`] !== undefined ? { value: Number(v[`value.${a.code}`]) } : {}), unit: v[`unit.${a.code}`] },
    );

  function preview(): ResultEntry[] {
    const list = entries(formValues(form));
    const p = previewVerdict(analytes, list);
    for (const cell of rowVerdicts.values()) cell.replaceChildren();
    if (!p.ok) {
      replace(verdictOut, h('p', { class: 'muted' }, t('lab.previewIncomplete')));
      return list;
    }
    for (const o of p.outcomes) rowVerdicts.get(o.code)?.replaceChildren(verdictBadge(o.verdict));
    replace(verdictOut, h('p', null, t('lab.previewVerdict'), ' ', h('span', { 'data-testid': 'preview-verdict', 'data-verdict': p.verdict }, verdictBadge(p.verdict))), p.verdict === 'fail' ? h('p', { class: 'alert bad', role: 'status' }, t('lab.failWarning')) : null);
    return list;
  }

  const reportFiles = attachmentField(t('lab.reportFiles'), 'result-files');
  const submit = h('button', { type: 'submit', 'data-testid': 'result-submit' }, t('lab.saveResult'));
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'stack',
      'data-testid': 'result-form',
      oninput: () => void preview(),
      onchange: () => void preview(),
      onsubmit: async (ev: SubmitEvent) => {
        ev.preventDefault();
        const v = formValues(form);
        const body = {
          analytes: preview(),
          testedAt: instantOf(v.testedAt ?? localInputValue(new Date())),
          ...(v.reportNo ? { reportNo: v.reportNo } : {}),
          ...(v.method ? { method: v.method } : {}),
        };
        const result = await busy(submit, out, async () => {
          const attachments = await reportFiles.refs();
          return recordResult(sample.sampleId, attachments.length ? { ...body, attachments } : body);
        });
        if (result) onSaved(result);
      },
    },
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'table' },
        h('thead', null, h('tr', null, [t('lab.analyte'), t('lab.limit'), t('lab.value'), t('lab.notDetected'), t('lab.verdict')].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', null, rows),
      ),
    ),
    verdictOut,
    field(t('lab.testedAt'), h('input', { name: 'testedAt', type: 'datetime-local', required: true, value: localInputValue(new Date()) })),
    field(t('lab.reportNo'), h('input', { name: 'reportNo', 'data-testid': 'result-report-no' })),
    field(t('lab.method'), h('input', { name: 'method', value: analytes[0]?.method ?? '' })),
    reportFiles.element,
    submit,
  );
  preview();
  return h('div', null, form, out);
}
