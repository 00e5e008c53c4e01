import { get, post } from '../../api/client';
import { regionLabel, regionNames } from '../../api/regions';
import type { Page as Paged } from '../../api/types';
import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { session } from '../../app/session';
import { label, t } from '../../i18n/i18n';
import { alert, badge, busy, empty, errorView, field } from '../../ui/components';
import { formValues, h, replace } from '../../ui/dom';
import { date, number } from '../../ui/format';
import type { MonitoringTask } from '../lab/lab-api';
import { cstDatePlus, ownRegion } from './region-field';
import { allAccounts, type Account } from './work-api';

const KINDS = ['routine', 'special', 'spotCheck'] as const;

/**
 * 监测任务 for the agencies that publish them (county and above, seed 002): the tasks in my region with their
 * progress, and a form to publish one to a lead lab, which then sets the model and distributes it (#/lab).
 */
export const tasksPage: Page = async (root) => {
  setTitle(t('work.tasks.title'));
  const list = h('div', { 'data-testid': 'tasks' });
  const publish = h('div', null);
  replace(root, h('h1', null, t('work.tasks.title')), publish, list);
  const load = async () => {
    try {
      const r = await get<Paged<MonitoringTask>>('/api/v1/tasks', { size: 100 });
      await regionNames(r.items.map((x) => x.regionCode)).catch(() => undefined);
      replace(list, h('p', { class: 'counts' }, t('work.tasks.total', { total: number(r.total) })), r.items.length ? tasksTable(r.items) : empty(t('work.tasks.none')));
    } catch (err) {
      replace(list, errorView(err));
    }
  };
  void publishForm(publish, load);
  await load();
};

function tasksTable(items: MonitoringTask[]): HTMLElement {
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'table' },
      h('thead', null, h('tr', null, [t('work.tasks.taskTitle'), t('work.tasks.kind'), t('work.region'), t('work.tasks.period'), t('work.tasks.leadLab'), t('work.tasks.progress'), t('work.statusCol')].map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        null,
        items.map((x) =>
          h(
            'tr',
            { 'data-testid': 'task-row', 'data-task': x.taskId },
            h('td', null, x.title, x.urgency === 'urgent' ? [' ', badge(t('work.tasks.urgent'), 'bad')] : null),
            h('td', null, t(`work.tasks.kind.${x.kind}`)),
            h('td', null, regionLabel(x.regionCode, true)),
            h('td', null, `${date(x.period.from)} – ${date(x.period.to)}`),
            h('td', null, x.leadLab.name, x.labs.length > 1 ? h('small', { class: 'muted' }, ` +${x.labs.length - 1}`) : null),
            h('td', { class: 'num' }, t('work.tasks.counts', { samples: number(x.counts.samples), tested: number(x.counts.tested), fail: number(x.counts.fail) })),
            h('td', null, badge(label('taskStatus', x.status), x.status === 'reported' ? 'muted' : 'info'), x.model ? null : [' ', badge(t('work.tasks.noModel'), 'warn')]),
          ),
        ),
      ),
    ),
  );
}

async function publishForm(host: HTMLElement, reload: () => Promise<void>): Promise<void> {
  const who = session.identity();
  let labs: Account[] = [];
  try {
    // Labs have accounts in their own region; a county publishes to its province's lab: look nationally.
    labs = (await allAccounts()).filter((a) => a.role === 'lab' && a.status === 'active');
  } catch {
    labs = [];
  }
  const out = h('div', { class: 'form-out', 'aria-live': 'polite' });
  const labById = new Map(labs.map((a) => [a.orgId, a]));
  const labField = labs.length
    ? field(t('work.tasks.leadLab'), h('select', { name: 'leadLab', required: true }, [...labById.values()].map((a) => h('option', { value: a.orgId }, a.orgName))))
    : h(
        'div',
        { class: 'row' },
        field(t('work.tasks.leadLabId'), h('input', { name: 'leadLabId', required: true })),
        field(t('work.tasks.leadLabName'), h('input', { name: 'leadLabName', required: true })),
      );
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'stack',
      'data-testid': 'task-form',
      onsubmit: async (ev: SubmitEvent) => {
        ev.preventDefault();
        const v = formValues(form);
        const lab = v.leadLab ? labById.get(v.leadLab) : undefined;
        const body = {
          kind: v.kind ?? 'routine',
          title: v.title ?? '',
          ...(v.description ? { description: v.description } : {}),
          regionCode: v.regionCode ?? '',
          period: { from: v.from ?? '', to: v.to ?? '' },
          urgency: v.urgency ?? 'normal',
          leadLab: lab ? { orgId: lab.orgId, name: lab.orgName } : { orgId: v.leadLabId ?? '', name: v.leadLabName ?? '' },
          ...(who ? { publisherName: who.displayName } : {}),
        };
        const r = await busy(form.querySelector('button[type=submit]'), out, () => post<{ taskId: string }>('/api/v1/tasks', body));
        if (r) {
          form.reset();
          replace(out, alert('ok', t('work.tasks.published')));
          await reload();
        }
      },
    },
    h(
      'div',
      { class: 'row' },
      field(t('work.tasks.kind'), h('select', { name: 'kind' }, KINDS.map((k) => h('option', { value: k }, t(`work.tasks.kind.${k}`))))),
      field(t('work.tasks.taskTitle'), h('input', { name: 'title', required: true, maxlength: 200 })),
      field(t('work.tasks.urgency'), h('select', { name: 'urgency' }, h('option', { value: 'normal' }, t('work.tasks.normal')), h('option', { value: 'urgent' }, t('work.tasks.urgent')))),
    ),
    h(
      'div',
      { class: 'row' },
      field(t('work.regionCode'), h('input', { name: 'regionCode', value: ownRegion(who), inputmode: 'numeric', pattern: '\\d{6}', required: true })),
      field(t('work.tasks.from'), h('input', { type: 'date', name: 'from', value: cstDatePlus(0), required: true })),
      field(t('work.tasks.to'), h('input', { type: 'date', name: 'to', value: cstDatePlus(30), required: true })),
      labField,
    ),
    field(t('work.tasks.description'), h('textarea', { name: 'description', rows: 2, maxlength: 5000 })),
    h('div', null, h('button', { type: 'submit' }, t('work.tasks.publish'))),
  );
  replace(host, h('details', { class: 'card' }, h('summary', null, h('strong', null, t('work.tasks.publish'))), form, out));
}

