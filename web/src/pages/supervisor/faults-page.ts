import { get, post } from '../../api/client';
import type { Page as Paged } from '../../api/types';
import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { hashHref } from '../../app/router';
import { session } from '../../app/session';
import { t } from '../../i18n/i18n';
import { alert, badge, busy, card, empty, errorView, field } from '../../ui/components';
import { formValues, h, replace } from '../../ui/dom';
import { dateTime, number } from '../../ui/format';
import { localInputValue, instantOf } from '../lab/lab-labels';
import { resolvesFaults } from './work-roles';

/** 故障 as GET /api/v1/faults answers it (projections/faults). */
interface Fault {
  faultId: string;
  level: 1 | 2 | 3;
  reportedLevel: number;
  occurredAt: string;
  place: string;
  description: string;
  affectedScope: string;
  measures: string;
  expectedRecoveryAt: string;
  reporter: { name: string; contact?: string };
  reportedAt: string;
  status: 'open' | 'resolved';
  escalations: unknown[];
  overdue: { hours: number }[];
  progress: { note: string; at: string }[];
  resolvedAt: string | null;
  resolution?: string;
  lastIntegrityCheck: { ok: boolean; checkedAt?: string } | null;
}

const TABS = ['open', 'resolved', 'all'] as const;

/** 系统故障报告: level 1–3 reports with the time limits the API escalates on, progress notes and (ministry) resolution. */
export const faultsPage: Page = async (root, route) => {
  setTitle(t('work.faults.title'));
  const status = (TABS as readonly string[]).includes(route.query.get('status') ?? '') ? route.query.get('status')! : 'open';
  const list = h('div', { 'data-testid': 'faults' });
  const report = h('div', null);
  replace(
    root,
    h('h1', null, t('work.faults.title')),
    report,
    h('nav', { class: 'tabs', 'aria-label': t('work.byStatus') }, TABS.map((s) => h('a', { href: hashHref('/supervisor/faults', { status: s }), class: s === status ? 'active' : null, 'aria-current': s === status ? 'page' : null }, t(`work.faults.status.${s}`)))),
    list,
  );
  const load = async () => {
    try {
      const r = await get<Paged<Fault>>('/api/v1/faults', { status: status === 'all' ? undefined : status, size: 100 });
      replace(list, h('p', { class: 'counts' }, t('work.faults.total', { total: number(r.total) })), r.items.length ? r.items.map((f) => faultCard(f, load)) : empty(t('work.faults.none')));
    } catch (err) {
      replace(list, errorView(err));
    }
  };
  reportForm(report, load);
  await load();
};

const levelBadge = (level: number) => badge(t('work.faults.level', { level }), level === 1 ? 'bad' : level === 2 ? 'warn' : 'info');

function faultCard(f: Fault, reload: () => Promise<void>): HTMLElement {
  const out = h('div', { class: 'form-out', 'aria-live': 'polite' });
  const note = h('input', { name: 'note', 'aria-label': t('work.faults.progressNote'), placeholder: t('work.faults.progressNote') });
  const addProgress = h('button', { type: 'button', class: 'secondary' }, t('work.faults.addProgress'));
  addProgress.addEventListener('click', async () => {
    if (!note.value.trim()) return note.focus();
    if (await busy(addProgress, out, () => post(`/api/v1/faults/${encodeURIComponent(f.faultId)}/progress`, { note: note.value.trim() }))) await reload();
  });
  const resolution = h('input', { name: 'resolution', 'aria-label': t('work.faults.resolution'), placeholder: t('work.faults.resolution') });
  const resolve = h('button', { type: 'button' }, t('work.faults.resolve'));
  resolve.addEventListener('click', async () => {
    if (!resolution.value.trim()) return resolution.focus();
    if (await busy(resolve, out, () => post(`/api/v1/faults/${encodeURIComponent(f.faultId)}/resolve`, { resolution: resolution.value.trim() }))) await reload();
  });
  const open = f.status === 'open';
  return card(
    h('span', null, levelBadge(f.level), ' ', f.place, ' ', open ? badge(t('work.faults.status.open'), 'warn') : badge(t('work.faults.status.resolved'), 'ok')),
    h(
      'dl',
      { class: 'facts' },
      [
        [t('work.faults.occurredAt'), dateTime(f.occurredAt)],
        [t('work.faults.description'), f.description],
        [t('work.faults.scope'), f.affectedScope],
        [t('work.faults.measures'), f.measures],
        [t('work.faults.expected'), dateTime(f.expectedRecoveryAt)],
        [t('work.faults.reporter'), `${f.reporter.name}${f.reporter.contact ? ` · ${f.reporter.contact}` : ''}`],
        ...(f.level !== f.reportedLevel ? [[t('work.faults.reportedLevel'), t('work.faults.level', { level: f.reportedLevel })] as [string, string]] : []),
        ...(f.overdue.length ? [[t('work.faults.overdue'), f.overdue.map((o) => t('work.faults.overdueHours', { hours: o.hours })).join('、')] as [string, string]] : []),
        ...(f.resolvedAt ? [[t('work.faults.resolvedAt'), `${dateTime(f.resolvedAt)}${f.resolution ? ` · ${f.resolution}` : ''}`] as [string, string]] : []),
        ...(f.lastIntegrityCheck ? [[t('work.faults.integrity'), f.lastIntegrityCheck.ok ? t('audit.intact') : t('work.faults.integrityBroken')] as [string, string]] : []),
      ].map(([k, v]) => [h('dt', null, k), h('dd', null, v)]),
    ),
    f.progress.length ? h('ol', { class: 'plain-list' }, f.progress.map((p) => h('li', null, `${dateTime(p.at)} · ${p.note}`))) : null,
    open ? h('div', { class: 'row' }, note, addProgress) : null,
    open && resolvesFaults(session.identity()?.role) ? h('div', { class: 'row' }, resolution, resolve) : null,
    out,
  );
}

function reportForm(host: HTMLElement, reload: () => Promise<void>): void {
  const who = session.identity();
  const out = h('div', { class: 'form-out', 'aria-live': 'polite' });
  const now = new Date();
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'stack',
      'data-testid': 'fault-form',
      onsubmit: async (ev: SubmitEvent) => {
        ev.preventDefault();
        const v = formValues(form);
        const body = {
          level: Number(v.level ?? 3),
          occurredAt: v.occurredAt ? instantOf(v.occurredAt) : '',
          place: v.place ?? '',
          description: v.description ?? '',
          affectedScope: v.affectedScope ?? '',
          measures: v.measures ?? '',
          expectedRecoveryAt: v.expectedRecoveryAt ? instantOf(v.expectedRecoveryAt) : '',
          reporter: { name: v.reporterName ?? '', ...(v.reporterContact ? { contact: v.reporterContact } : {}) },
        };
        const r = await busy(form.querySelector('button[type=submit]'), out, () => post<{ faultId: string }>('/api/v1/faults', body));
        if (r) {
          form.reset();
          replace(out, alert('ok', t('work.faults.reported')));
          await reload();
        }
      },
    },
    h(
      'div',
      { class: 'row' },
      field(t('work.faults.levelField'), h('select', { name: 'level' }, [1, 2, 3].map((l) => h('option', { value: l, selected: l === 3 }, t(`work.faults.levelName.${l}` as 'work.faults.levelName.1'))))),
      field(t('work.faults.occurredAt'), h('input', { type: 'datetime-local', name: 'occurredAt', value: localInputValue(now), required: true })),
      field(t('work.faults.expected'), h('input', { type: 'datetime-local', name: 'expectedRecoveryAt', value: localInputValue(new Date(now.getTime() + 4 * 3_600_000)), required: true })),
    ),
    field(t('work.faults.place'), h('input', { name: 'place', required: true, maxlength: 300 })),
    field(t('work.faults.description'), h('textarea', { name: 'description', rows: 2, required: true })),
    h('div', { class: 'row' }, field(t('work.faults.scope'), h('input', { name: 'affectedScope', required: true })), field(t('work.faults.measures'), h('input', { name: 'measures', required: true }))),
    h('div', { class: 'row' }, field(t('work.faults.reporter'), h('input', { name: 'reporterName', value: who?.displayName ?? '', required: true })), field(t('work.faults.contact'), h('input', { name: 'reporterContact' }))),
    h('div', null, h('button', { type: 'submit' }, t('work.faults.report'))),
  );
  replace(host, h('details', { class: 'card' }, h('summary', null, h('strong', null, t('work.faults.report'))), form, out));
}
