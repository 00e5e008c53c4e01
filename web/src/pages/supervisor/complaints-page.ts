import { get, post } from '../../api/client';
import { regionLabel, regionNames } from '../../api/regions';
import type { Page as Paged } from '../../api/types';
import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { hashHref } from '../../app/router';
import { label, t } from '../../i18n/i18n';
import { alert, badge, busy, empty, errorView, field, pager } from '../../ui/components';
import { formValues, h, replace } from '../../ui/dom';
import { dateTime, groupTraceCode, number } from '../../ui/format';

/** A complaint as GET /api/v1/complaints lists it: the phone masked (in clear on the one-record read, with a call-back). */
export interface Complaint {
  complaintId: string;
  kind: 'complaint' | 'message';
  traceCode: string | null;
  product: string | null;
  regionCode: string;
  content: string;
  contact: { name: string | null; phone: string | null; callBack: boolean };
  status: 'open' | 'answered';
  submittedAt: string;
  answer: string | null;
  answeredAt: string | null;
  incidentId: string | null;
}

const STATUSES = ['open', 'answered'] as const;

/**
 * 12316 留言 / 投诉 of my region: newest first, each answered once (the answer is what the complainant reads with
 * the receipt). A complaint that needs more than an answer becomes an incident (#/incidents) or a case; the
 * incident's id is named with the answer.
 */
export const complaintsPage: Page = async (root, route) => {
  setTitle(t('complaints.title'));
  const status = route.query.get('status') === 'answered' ? 'answered' : 'open';
  const page = Math.max(1, Number(route.query.get('page')) || 1);
  const list = h('div', { 'data-testid': 'complaints' });
  replace(
    root,
    h('h1', null, t('complaints.title')),
    h('nav', { class: 'tabs', 'aria-label': t('complaints.byStatus') }, STATUSES.map((s) => h('a', { href: hashHref('/supervisor/complaints', { status: s }), class: s === status ? 'active' : null, 'aria-current': s === status ? 'page' : null }, t(`complaints.status.${s}`)))),
    list,
  );
  try {
    const r = await get<Paged<Complaint>>('/api/v1/complaints', { status, page, size: 50 });
    await regionNames(r.items.map((c) => c.regionCode)).catch(() => undefined);
    replace(
      list,
      h('p', { class: 'counts' }, t('complaints.total', { total: number(r.total) })),
      r.items.length ? h('ol', { class: 'plain complaint-list' }, r.items.map(complaintItem)) : empty(t('complaints.none')),
      pager(page, r.size, r.total, (p) => hashHref('/supervisor/complaints', { status, page: p })),
    );
  } catch (err) {
    replace(list, errorView(err));
  }
};

function complaintItem(c: Complaint): HTMLElement {
  const body = h('div', null);
  const item = h(
    'li',
    { class: 'card', 'data-testid': 'complaint-row', 'data-complaint': c.complaintId },
    h('p', null, badge(label('complaintKind', c.kind), c.kind === 'complaint' ? 'warn' : 'info'), ` ${dateTime(c.submittedAt)} · ${regionLabel(c.regionCode, true)}`),
    c.traceCode ? h('p', null, `${c.product ?? ''} `, h('a', { href: `#/lots/${encodeURIComponent(c.traceCode)}`, class: 'code small' }, groupTraceCode(c.traceCode))) : null,
    h('p', { 'data-testid': 'complaint-content' }, c.content),
    h('p', { class: 'muted' }, [c.contact.name, c.contact.callBack ? t('complaints.callBack', { phone: c.contact.phone ?? '' }) : null].filter(Boolean).join(' · ') || t('complaints.anonymous')),
    body,
  );
  if (c.status === 'answered') replace(body, alert('ok', t('complaints.answered', { at: dateTime(c.answeredAt) }), c.answer, c.incidentId ? t('complaints.incident', { id: c.incidentId }) : null));
  else body.append(answerForm(c, (answer) => replace(body, alert('ok', t('complaints.answeredNow'), answer))));
  return item;
}

function answerForm(c: Complaint, onDone: (answer: string) => void): HTMLElement {
  const out = h('div', { class: 'form-out' });
  const submit = h('button', { type: 'submit', 'data-testid': 'complaint-answer-submit' }, t('complaints.answer'));
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'stack',
      onsubmit: async (ev: SubmitEvent) => {
        ev.preventDefault();
        const v = formValues(form);
        const done = await busy(submit, out, () => post(`/api/v1/complaints/${encodeURIComponent(c.complaintId)}/answer`, { answer: v.answer ?? '', ...(v.incidentId ? { incidentId: v.incidentId } : {}) }));
        if (done) onDone(v.answer ?? '');
      },
    },
    field(t('complaints.answerText'), h('textarea', { name: 'answer', rows: 2, required: true, 'data-testid': 'complaint-answer' })),
    field(t('complaints.incidentId'), h('input', { name: 'incidentId', autocomplete: 'off' }), t('complaints.incidentHint')),
    submit,
  );
  return h('div', null, form, out);
}
