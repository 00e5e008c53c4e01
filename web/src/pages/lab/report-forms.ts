import { post } from '../../api/client';
import { t } from '../../i18n/i18n';
import { alert, busy, field } from '../../ui/components';
import { formValues, h } from '../../ui/dom';
import { dateTime, number } from '../../ui/format';
import type { MonitoringTask } from './lab-api';

interface TaskReports {
  labReports?: { lab: { orgId: string; name?: string }; summary: { samples: number; failed: number }; note?: string | null; submittedAt: string }[];
  report?: { conclusion: string; reportedAt: string } | null;
}

/**
 * 汇总报送 (seed 002, 第十七/十八条): an undertaking lab submits the summary of its samples to the lead lab; the
 * lead lab, having the labs' summaries, compiles the task's report to the publishing agency, which closes it for
 * new samples. The summary itself is computed by the server from the samples at that moment.
 */
export function reportsCard(task: MonitoringTask & TaskReports, myOrg: string | undefined, onDone: () => void): HTMLElement {
  const lead = task.leadLab.orgId === myOrg;
  const submitted = (task.labReports ?? []).map((r) =>
    h('li', { 'data-testid': 'lab-report' }, `${r.lab.name ?? r.lab.orgId} · ${dateTime(r.submittedAt)} · ${t('lab.reportLine', { samples: number(r.summary.samples), failed: number(r.summary.failed) })}`, r.note ? h('br') : null, r.note ?? null),
  );
  const out = h('div', { class: 'form-out' });
  if (task.report) return h('div', { 'data-testid': 'task-reports' }, submitted.length ? h('ul', { class: 'plain' }, submitted) : null, alert('ok', t('lab.taskReported', { at: dateTime(task.report.reportedAt) }), task.report.conclusion));
  const labForm = formOf('lab-report-submit', t('lab.submitLabReport'), field(t('lab.reportNote'), h('textarea', { name: 'note', rows: 2 })), (v) =>
    post(`/api/v1/tasks/${encodeURIComponent(task.taskId)}/lab-reports`, v.note ? { note: v.note } : {}),
  );
  const taskForm = lead
    ? formOf('task-report-submit', t('lab.submitTaskReport'), field(t('lab.reportConclusion'), h('textarea', { name: 'conclusion', rows: 3, required: true, 'data-testid': 'task-report-conclusion' })), (v) =>
        post(`/api/v1/tasks/${encodeURIComponent(task.taskId)}/report`, { conclusion: v.conclusion ?? '' }),
      )
    : null;
  function formOf(testid: string, label: string, input: HTMLElement, send: (v: Record<string, string>) => Promise<unknown>): HTMLFormElement {
    const submit = h('button', { type: 'submit', class: 'secondary', 'data-testid': testid }, label);
    const form: HTMLFormElement = h(
      'form',
      {
        class: 'stack',
        onsubmit: async (ev: SubmitEvent) => {
          ev.preventDefault();
          if (await busy(submit, out, () => send(formValues(form)))) onDone();
        },
      },
      input,
      submit,
    );
    return form;
  }
  return h('div', { 'data-testid': 'task-reports' }, submitted.length ? h('ul', { class: 'plain' }, submitted) : h('p', { class: 'muted' }, t('lab.noLabReports')), labForm, taskForm, out);
}
