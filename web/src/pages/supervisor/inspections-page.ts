import { get, post } from '../../api/client';
import { regionLabel, regionNames } from '../../api/regions';
import type { Page as Paged } from '../../api/types';
import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { hashHref } from '../../app/router';
import { session } from '../../app/session';
import { t } from '../../i18n/i18n';
import { alert, badge, busy, card, empty, errorView, field } from '../../ui/components';
import { formValues, h, replace } from '../../ui/dom';
import { date, number } from '../../ui/format';
import { cstDatePlus, ownRegion } from './region-field';
import { allAccounts, type Account } from './work-api';
import { publishesInspections } from './work-roles';

/** 巡查任务 as GET /api/v1/inspections answers it (projections/inspection). */
interface Inspection {
  inspectionId: string;
  title: string;
  regionCode: string;
  inspectors: { userId: string; name: string }[];
  dueDate: string;
  plan: string | null;
  targets: string[];
  publisher: { orgId: string; name: string };
  status: 'open' | 'completed';
  records: { recordId: string; caseId: string | null }[];
  publishedAt: string;
}

const TABS = ['open', 'completed', 'all'] as const;

/**
 * 基地巡查: an administration publishes a plan to its inspectors and sees each inspector's tasks; an inspector
 * sees the tasks naming them (the API narrows the list to those).
 */
export const inspectionsPage: Page = async (root, route) => {
  setTitle(t('work.insp.title'));
  const who = session.identity();
  const status = (TABS as readonly string[]).includes(route.query.get('status') ?? '') ? route.query.get('status')! : 'open';
  const list = h('div', { 'data-testid': 'inspections' });
  const publish = publishesInspections(who?.role) ? h('div', null) : null;
  replace(
    root,
    h('h1', null, t('work.insp.title')),
    publish,
    h('nav', { class: 'tabs', 'aria-label': t('work.byStatus') }, TABS.map((s) => h('a', { href: hashHref('/supervisor/inspections', { status: s }), class: s === status ? 'active' : null, 'aria-current': s === status ? 'page' : null }, t(`work.status.${s}`)))),
    list,
  );
  const load = async () => {
    try {
      const r = await get<Paged<Inspection>>('/api/v1/inspections', { status: status === 'all' ? undefined : status, size: 200 });
      await regionNames(r.items.map((i) => i.regionCode)).catch(() => undefined);
      replace(list, h('p', { class: 'counts' }, t('work.insp.total', { total: number(r.total) })), r.items.length ? [tasksTable(r.items), byInspector(r.items)] : empty(t('work.insp.none')));
    } catch (err) {
      replace(list, errorView(err));
    }
  };
  if (publish) void publishForm(publish, load);
  await load();
};

function tasksTable(items: Inspection[]): HTMLElement {
  return card(
    t('work.insp.tasks'),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'table' },
        h('thead', null, h('tr', null, [t('work.insp.taskTitle'), t('work.region'), t('work.insp.inspectors'), t('work.insp.due'), t('work.insp.records'), t('work.statusCol')].map((c) => h('th', { scope: 'col' }, c)))),
        h(
          'tbody',
          null,
          items.map((i) =>
            h(
              'tr',
              { 'data-testid': 'inspection-row', 'data-inspection': i.inspectionId },
              h('td', null, i.title, i.plan ? [h('br'), h('small', { class: 'muted' }, i.plan)] : null),
              h('td', null, regionLabel(i.regionCode, true)),
              h('td', null, i.inspectors.map((p) => p.name).join('、')),
              h('td', null, date(i.dueDate)),
              h('td', { class: 'num' }, number(i.records.length)),
              h('td', null, i.status === 'open' ? badge(t('work.status.open'), 'warn') : badge(t('work.status.completed'), 'muted')),
            ),
          ),
        ),
      ),
    ),
  );
}

/** Each inspector's tasks: what the plan asks of whom. */
function byInspector(items: Inspection[]): HTMLElement {
  const people = new Map<string, { name: string; tasks: Inspection[] }>();
  for (const i of items)
    for (const p of i.inspectors) {
      const entry = people.get(p.userId) ?? { name: p.name, tasks: [] };
      entry.tasks.push(i);
      people.set(p.userId, entry);
    }
  return card(
    t('work.insp.byInspector'),
    h(
      'ul',
      { class: 'plain-list', 'data-testid': 'inspector-tasks' },
      [...people.entries()].map(([userId, p]) =>
        h(
          'li',
          { 'data-inspector': userId },
          h('strong', null, p.name),
          ` · ${t('work.insp.taskCount', { count: p.tasks.length, open: p.tasks.filter((x) => x.status === 'open').length })}`,
          h('ul', null, p.tasks.map((x) => h('li', null, `${x.title}（${t('work.insp.due')} ${date(x.dueDate)}）`))),
        ),
      ),
    ),
  );
}

async function publishForm(host: HTMLElement, reload: () => Promise<void>): Promise<void> {
  const who = session.identity();
  const out = h('div', { class: 'form-out', 'aria-live': 'polite' });
  let inspectors: Account[] = [];
  try {
    inspectors = (await allAccounts()).filter((a) => a.role === 'inspector' && a.status === 'active');
  } catch (err) {
    replace(host, card(t('work.insp.publish'), errorView(err)));
    return;
  }
  const picks = inspectors.length
    ? h(
        'fieldset',
        { class: 'checks' },
        h('legend', null, t('work.insp.inspectors')),
        inspectors.map((a) => h('label', null, h('input', { type: 'checkbox', name: 'inspector', value: a.accountId, 'data-name': a.displayName }), ` ${a.displayName}（${a.username}）`)),
      )
    : alert('info', t('work.insp.noInspectors'));
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'stack',
      'data-testid': 'inspection-form',
      onsubmit: async (ev: SubmitEvent) => {
        ev.preventDefault();
        const v = formValues(form);
        const chosen = [...form.querySelectorAll<HTMLInputElement>('input[name=inspector]:checked')].map((c) => ({ userId: c.value, name: c.dataset.name ?? c.value }));
        const body = {
          title: v.title ?? '',
          regionCode: v.regionCode ?? '',
          inspectors: chosen,
          dueDate: v.dueDate ?? '',
          ...(v.plan ? { plan: v.plan } : {}),
          ...(v.targets ? { targets: v.targets.split(/[,，、\s]+/).filter(Boolean) } : {}),
          ...(who ? { publisherName: who.displayName } : {}),
        };
        const button = form.querySelector<HTMLButtonElement>('button[type=submit]');
        const r = await busy(button, out, () => post<{ inspectionId: string }>('/api/v1/inspections', body));
        if (r) {
          form.reset();
          replace(out, alert('ok', t('work.insp.published')));
          await reload();
        }
      },
    },
    h(
      'div',
      { class: 'row' },
      field(t('work.insp.taskTitle'), h('input', { name: 'title', required: true, maxlength: 200 })),
      field(t('work.regionCode'), h('input', { name: 'regionCode', value: ownRegion(who), inputmode: 'numeric', pattern: '\\d{6}', required: true })),
      field(t('work.insp.due'), h('input', { type: 'date', name: 'dueDate', value: cstDatePlus(14), required: true })),
    ),
    field(t('work.insp.plan'), h('textarea', { name: 'plan', rows: 2, maxlength: 5000 })),
    field(t('work.insp.targets'), h('input', { name: 'targets' }), t('work.insp.targetsHint')),
    picks,
    h('div', null, h('button', { type: 'submit', disabled: inspectors.length === 0 }, t('work.insp.publish'))),
  );
  replace(host, h('details', { class: 'card', open: true }, h('summary', null, h('strong', null, t('work.insp.publish'))), form, out));
}
