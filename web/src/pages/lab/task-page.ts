import { regionLabel, regionNames } from '../../api/regions';
import { setTitle } from '../../app/page';
import { session } from '../../app/session';
import { label, t } from '../../i18n/i18n';
import { badge, busy, card, empty, facts } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { date, dateTime, groupTraceCode, number } from '../../ui/format';
import { getTask, listSamples, taskSummary, type Sample, type TaskSummary } from './lab-api';
import { sampleStatus, verdictBadge } from './lab-labels';
import { modelView } from './model-view';
import { sampleForm } from './sample-form';
import { downloadSummary } from './summary-export';
import { reportsCard } from './report-forms';

/** 监测任务: the model to test against, the samples to take (and taken), my lab's summary table. */
export async function taskPage(root: HTMLElement, taskId: string): Promise<void> {
  const me = session.identity();
  const [task, samples, summary] = await Promise.all([getTask(taskId), listSamples({ taskId }), taskSummary(taskId, me?.orgId)]);
  await regionNames([task.regionCode]).catch(() => undefined);
  setTitle(task.title);
  const open = task.status === 'configured' || task.status === 'distributed';
  replace(
    root,
    h('p', null, h('a', { href: '#/lab' }, `‹ ${t('lab.title')}`)),
    h('h1', null, task.title, ' ', badge(label('taskKind', task.kind), 'info')),
    card(
      t('lab.taskDetails'),
      facts([
        [t('lab.region'), regionLabel(task.regionCode, true)],
        [t('lab.period'), `${date(task.period.from)} – ${date(task.period.to)}`],
        [t('lab.publisher'), task.publisher.name ?? task.publisher.orgId],
        [t('lab.leadLab'), task.leadLab.name],
        [t('lab.labs'), task.labs.map((l) => `${l.name}${l.quota ? ` (${l.quota})` : ''}`).join('、')],
        [t('lab.status'), label('taskStatus', task.status)],
        [t('lab.description'), task.description],
      ]),
    ),
    card(t('lab.model'), modelView(task)),
    open && task.model ? card(t('lab.newSample'), sampleForm(task)) : null,
    card(t('lab.samples'), samplesTable(samples.items)),
    card(t('lab.summary'), summaryView(summary, task.taskId, me?.orgId, task.leadLab.orgId === me?.orgId)),
    card(t('lab.reports'), reportsCard(task, me?.orgId, () => void taskPage(root, taskId))),
  );
}

export function samplesTable(samples: Sample[]): HTMLElement {
  if (!samples.length) return empty(t('lab.noSamples'));
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'table', 'data-testid': 'samples' },
      h('thead', null, h('tr', null, [t('lab.product'), t('lab.entityName'), t('lot.code'), t('lab.sampledAt'), t('lab.status'), t('lab.verdict')].map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        null,
        samples.map((s) =>
          h(
            'tr',
            { 'data-testid': 'sample-row', 'data-sample': s.sampleId },
            h('td', null, h('a', { href: `#/lab/samples/${encodeURIComponent(s.sampleId)}` }, s.product)),
            h('td', null, s.subject.entityName),
            h('td', { class: 'code small' }, s.traceCode ? groupTraceCode(s.traceCode) : t('lab.noTraceCode')),
            h('td', null, dateTime(s.sampledAt)),
            h('td', null, sampleStatus(s.status)),
            h('td', null, s.verdict ? verdictBadge(s.verdict) : '—'),
          ),
        ),
      ),
    ),
  );
}

/** My lab's counts; the table downloads as XLSX — mine, and for the lead lab the whole task (its report). */
function summaryView(s: TaskSummary, taskId: string, myOrg: string | undefined, lead: boolean): HTMLElement {
  const out = h('div', { class: 'form-out' });
  const exportButton = (testid: string, text: string, lab: string | undefined) =>
    h('button', { type: 'button', class: 'secondary', 'data-testid': testid, onclick: (ev: Event) => void busy(ev.currentTarget as HTMLButtonElement, out, () => downloadSummary(taskId, lab)) }, text);
  return h(
    'div',
    { 'data-testid': 'lab-summary' },
    facts([
      [t('lab.samples'), number(s.samples)],
      [t('lab.tested'), number(s.tested)],
      [t('verdict.pass'), number(s.passed)],
      [t('verdict.fail'), h('span', { 'data-testid': 'summary-failed' }, number(s.failed))],
      [t('verdict.inconclusive'), number(s.inconclusive)],
      [t('lab.passRate'), s.passRate === null ? '—' : `${(s.passRate * 100).toFixed(1)}%`],
    ]),
    s.analytes.length
      ? h(
          'div',
          { class: 'table-scroll' },
          h(
            'table',
            { class: 'table' },
            h('thead', null, h('tr', null, [t('lab.analyte'), t('lab.tested'), t('lab.detected'), t('lab.exceeded')].map((c) => h('th', { scope: 'col' }, c)))),
            h('tbody', null, s.analytes.map((a) => h('tr', null, h('th', { scope: 'row' }, a.name), h('td', null, number(a.tested)), h('td', null, number(a.detected)), h('td', null, number(a.exceeded))))),
          ),
        )
      : null,
    h('p', null, exportButton('summary-export', t('lab.exportCsv'), myOrg), ' ', lead ? exportButton('summary-export-task', t('lab.exportTask'), undefined) : null, ' ', h('small', { class: 'muted' }, t('lab.exportNote'))),
    out,
  );
}
