import { CN_HOLIDAY_CALENDAR } from '../../../../domain/shared/holidays-cn';
import { workingDaysBetween } from '../../../../domain/shared/working-days';
import { get, post } from '../../api/client';
import { regionLabel, regionNames } from '../../api/regions';
import type { Entity, Page as Paged } from '../../api/types';
import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { hashHref } from '../../app/router';
import { label, t } from '../../i18n/i18n';
import { alert, badge, busy, empty, errorView, pager } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { dateTime, number } from '../../ui/format';
import { proofDocuments } from './proof-documents';

/**
 * 注册审核: applications waiting for the county's review, the oldest deadline first, each with what is left
 * of its 5 working days (the same calendar the server used to set the deadline, domain/shared/holidays-cn.ts).
 */
export const reviewQueuePage: Page = async (root, route) => {
  setTitle(t('work.reviews.title'));
  const page = Math.max(1, Number(route.query.get('page')) || 1);
  const list = h('div', { 'data-testid': 'review-queue' });
  replace(root, h('h1', null, t('work.reviews.title')), h('p', { class: 'muted' }, t('work.reviews.lead')), list);
  try {
    const r = await get<Paged<Entity>>('/api/v1/entities', { status: 'pending', page, size: 50 });
    await regionNames(r.items.map((e) => e.regionCode)).catch(() => undefined);
    // Most urgent first: the API sorts by application time, newest first.
    const items = [...r.items].sort((a, b) => (a.reviewDeadline ?? '').localeCompare(b.reviewDeadline ?? ''));
    replace(
      list,
      h('p', { class: 'counts' }, t('work.reviews.total', { total: number(r.total) })),
      items.length
        ? h(
            'div',
            { class: 'table-scroll' },
            h(
              'table',
              { class: 'table' },
              h('thead', null, h('tr', null, [t('work.reviews.applicant'), t('work.reviews.region'), t('work.reviews.appliedAt'), t('work.reviews.deadline'), t('work.reviews.action')].map((c) => h('th', { scope: 'col' }, c)))),
              h('tbody', null, items.map((e) => reviewRow(e))),
            ),
          )
        : empty(t('work.reviews.none')),
      pager(page, r.size, r.total, (p) => hashHref('/supervisor/reviews', { page: p })),
    );
  } catch (err) {
    replace(list, errorView(err));
  }
};

/** "还剩 3 个工作日" / "今天到期" / "已逾期 2 个工作日", from now to the end of the deadline's day (CST). */
export function deadlineBadge(deadlineIso: string | undefined, now = new Date()): HTMLElement {
  if (!deadlineIso) return badge('—', 'muted');
  const deadline = new Date(deadlineIso);
  if (deadline.getTime() < now.getTime()) {
    const late = Math.max(1, workingDaysBetween(deadline, now, CN_HOLIDAY_CALENDAR));
    return badge(t('work.reviews.overdue', { days: late }), 'bad');
  }
  const left = workingDaysBetween(now, deadline, CN_HOLIDAY_CALENDAR);
  return left === 0 ? badge(t('work.reviews.dueToday'), 'warn') : badge(t('work.reviews.left', { days: left }), left <= 1 ? 'warn' : 'ok');
}

function reviewRow(e: Entity): HTMLElement {
  const out = h('div', { class: 'form-out', 'aria-live': 'polite' });
  const reason = h('input', { name: 'reason', placeholder: t('entity.rejectReason'), 'aria-label': t('entity.rejectReason'), 'data-testid': 'review-reason' });
  const approve = h('button', { type: 'button', 'data-testid': 'review-approve' }, t('entity.approve'));
  const reject = h('button', { type: 'button', class: 'secondary', 'data-testid': 'review-reject' }, t('entity.reject'));
  const actions = h('td', { class: 'actions' }, approve, reason, reject, out);
  const status = h('span', null, deadlineBadge(e.reviewDeadline));
  const done = (text: string, tone: 'ok' | 'bad') => {
    replace(actions, badge(text, tone));
    replace(status, badge(tone === 'ok' ? t('work.reviews.approved') : t('work.reviews.rejected'), 'muted'));
  };
  approve.addEventListener('click', async () => {
    const r = await busy(approve, out, () => post<{ eid: string }>(`/api/v1/entities/${encodeURIComponent(e.entityId)}/approve`));
    if (r) done(t('work.reviews.eid', { eid: r.eid }), 'ok');
  });
  reject.addEventListener('click', async () => {
    if (!reason.value.trim()) {
      reason.focus();
      replace(out, alert('bad', t('work.reviews.reasonNeeded')));
      return;
    }
    const r = await busy(reject, out, () => post(`/api/v1/entities/${encodeURIComponent(e.entityId)}/reject`, { reason: reason.value.trim() }));
    if (r) done(t('work.reviews.rejected'), 'bad');
  });
  return h(
    'tr',
    { 'data-testid': 'review-row', 'data-entity': e.entityId },
    h('td', null, h('a', { href: `#/entities/${encodeURIComponent(e.entityId)}` }, e.name), h('br'), h('small', { class: 'muted' }, `${label('entityType', e.entityType)} · ${e.legalRepresentative} · ${e.products.join('、')}`), proofDocuments(e.entityId)),
    h('td', null, regionLabel(e.regionCode, true)),
    h('td', null, dateTime(e.appliedAt)),
    h('td', null, dateTime(e.reviewDeadline), h('br'), status),
    actions,
  );
}
