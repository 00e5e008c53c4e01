import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { label, t } from '../../i18n/i18n';
import { badge, card, empty, errorView } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { date, number } from '../../ui/format';
import { listSamples, listTasks, type MonitoringTask } from './lab-api';
import { samplePage } from './sample-page';
import { samplesTable, taskPage } from './task-page';

/**
 * 检测机构 (issue 15): `#/lab` the tasks assigned to my lab and the samples waiting for me, `#/lab/tasks/{id}`
 * a task (model, sampling, summary), `#/lab/samples/{id}` a sample (result entry, re-test, case).
 */
export const labPage: Page = async (root, route) => {
  const [, what, id] = route.parts;
  try {
    if (what === 'tasks' && id) return await taskPage(root, id);
    if (what === 'samples' && id) return await samplePage(root, id);
    await labHome(root);
  } catch (err) {
    replace(root, h('h1', null, t('lab.title')), errorView(err));
  }
};

async function labHome(root: HTMLElement): Promise<void> {
  setTitle(t('lab.title'));
  // 复检: the re-tests issued to this lab, whoever took the sample (GET /samples?retest=requested).
  const [tasks, samples, retestList] = await Promise.all([listTasks(), listSamples({ size: 200 }), listSamples({ retest: 'requested' })]);
  const waiting = samples.items.filter((s) => s.status === 'taken');
  const retests = retestList.items;
  replace(
    root,
    h('h1', null, t('lab.title')),
    card(t('lab.tasks'), tasks.items.length ? tasksTable(tasks.items) : empty(t('lab.noTasks'))),
    card(t('lab.awaitingResults'), samplesTable(waiting)),
    card(t('lab.retests'), retests.length ? samplesTable(retests) : empty(t('lab.noRetests'))),
  );
}

function tasksTable(tasks: MonitoringTask[]): HTMLElement {
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'table', 'data-testid': 'lab-tasks' },
      h('thead', null, h('tr', null, [t('lab.task'), t('lab.products'), t('lab.period'), t('lab.status'), t('lab.samples')].map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        null,
        tasks.map((task) =>
          h(
            'tr',
            { 'data-testid': 'task-row' },
            h('td', null, h('a', { href: `#/lab/tasks/${encodeURIComponent(task.taskId)}` }, task.title), ' ', badge(label('taskKind', task.kind), 'info')),
            h('td', null, task.model ? task.model.products.join('、') : t('lab.noModel')),
            h('td', null, `${date(task.period.from)} – ${date(task.period.to)}`),
            h('td', null, label('taskStatus', task.status)),
            h('td', null, t('lab.countsLine', { samples: number(task.counts.samples), tested: number(task.counts.tested), fail: number(task.counts.fail) })),
          ),
        ),
      ),
    ),
  );
}
