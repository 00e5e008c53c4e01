import type { Entity, RecallLotView, RecallNotice } from '../../api/types';
import { label, t } from '../../i18n/i18n';
import { alert, badge, busy as submitting, card, empty, errorView as errorBox } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { dateTime, groupTraceCode, number } from '../../ui/format';
import { acknowledgeRecall, recallInbox, reportRecall } from '../incidents/incident-api';
import { progressBar, totalsText } from '../incidents/recall-progress';

const DISPOSITIONS = ['recovered', 'destroyed', 'soldToConsumers'] as const;

/**
 * 召回通知: the recall notices sent to this holder, newest first. The holder acknowledges (签收) and reports,
 * per lot, what was recovered, destroyed or already sold to consumers; the API refuses more than the holder
 * must account for, naming the field. Laid out for a phone: one notice per card, one lot per block.
 */
export async function recallTab(panel: HTMLElement, _entity: Entity): Promise<void> {
  const list = h('div', { class: 'recall-inbox', 'data-testid': 'recall-inbox' });
  replace(panel, list);
  const load = async (): Promise<void> => {
    try {
      const inbox = await recallInbox();
      replace(
        list,
        inbox.unanswered ? alert('warn', t('recall.unanswered', { count: inbox.unanswered })) : null,
        inbox.items.length ? inbox.items.map((n) => noticeView(n, load)) : empty(t('recall.none')),
      );
    } catch (err) {
      replace(list, errorBox(err));
    }
  };
  await load();
}

function noticeView(n: RecallNotice, reload: () => Promise<void>): HTMLElement {
  const closed = n.incident?.status === 'closed';
  const acknowledged = n.status === 'acknowledged';
  // Nothing left to report once acknowledged and every lot is accounted for.
  const done = acknowledged && n.lots.every((l) => l.affected - l.accountedFor <= 0);
  const out = h('div', { class: 'form-out' });
  const submit = h('button', { type: 'submit', 'data-testid': 'recall-submit' }, acknowledged ? t('recall.report') : t('recall.acknowledgeAndReport'));
  const note = h('input', { name: 'note', maxlength: 2000, placeholder: t('recall.notePlaceholder'), 'data-testid': 'recall-note', 'aria-label': t('recall.note') });
  const form = h('form', { class: 'stack recall-form', 'data-testid': 'recall-form' }, n.lots.map(lotFields), h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('recall.note')), note), h('div', { class: 'row' }, submit), out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const lots = n.lots
      .map((l) => {
        const entry: Record<string, unknown> = { traceCode: l.traceCode };
        for (const d of DISPOSITIONS) {
          const input = form.querySelector<HTMLInputElement>(`input[name="${l.traceCode}:${d}"]`);
          const amount = Number(input?.value ?? '');
          if (input?.value.trim() && Number.isFinite(amount) && amount > 0) entry[d] = { amount, unit: l.unit };
        }
        return entry;
      })
      .filter((e) => Object.keys(e).length > 1);
    const text = note.value.trim() || null;
    let acknowledgedNow = false;
    const ok = await submitting(submit, out, async () => {
      if (!acknowledged) {
        await acknowledgeRecall(n, text);
        acknowledgedNow = true;
      }
      if (lots.length) await reportRecall(n, lots, acknowledged ? text : null);
      return true;
    });
    if (ok) return reload();
    // Acknowledged, but the report was refused (more than the holder must account for): the notice is
    // shown again as acknowledged, with the refusal kept under it.
    if (acknowledgedNow) {
      const message = out.firstElementChild;
      await reload();
      if (message) document.querySelector(`[data-notice="${n.incidentId}"] .form-out`)?.replaceChildren(message);
    }
  });
  return card(
    null,
    h(
      'article',
      { class: 'recall-notice', 'data-testid': 'recall-notice', 'data-notice': n.incidentId, 'data-status': n.status },
      h('header', null, h('p', { class: 'eyebrow' }, t('recall.noticeFrom'), ' · ', dateTime(n.issuedAt)), h('h2', null, n.incident?.title ?? n.incidentId)),
      h(
        'p',
        null,
        badge(label('recallStatus', n.status), acknowledged ? 'ok' : 'warn'),
        ' ',
        n.incident ? badge(label('incidentLevel', n.incident.level), 'bad') : null,
        ' ',
        closed ? badge(label('incidentStatus', 'closed'), 'muted') : null,
        n.escalatedAt ? [' ', badge(t('recall.escalated'), 'bad')] : null,
      ),
      h('p', { class: 'muted' }, t('recall.deadline'), ' ', dateTime(n.deadline)),
      h('p', { 'data-testid': 'notice-totals' }, t('recall.accounted'), ' ', h('strong', null, totalsText(n.totals))),
      progressBar(n.percent, 'notice-bar'),
      closed || done ? null : form,
      done ? h('p', null, badge(t('recall.lotDone'), 'ok')) : null,
    ),
  );
}

/** One lot: what is still to account for, and the three quantities to report (in the lot's unit). */
function lotFields(l: RecallLotView): HTMLElement {
  const left = Math.max(0, l.affected - l.accountedFor);
  const unit = label('unit', l.unit);
  return h(
    'fieldset',
    { class: 'recall-lot', 'data-lot': l.traceCode },
    h('legend', null, `${l.product} `, h('span', { class: 'code small' }, groupTraceCode(l.traceCode))),
    h('p', { class: 'muted' }, t('recall.lotStanding', { received: number(l.received), passedOn: number(l.passedOn), affected: number(l.affected), left: number(left), unit })),
    h(
      'p',
      { class: 'muted' },
      DISPOSITIONS.map((d) => `${t(`recall.${d}`)} ${number(l.tally[d])}`).join(' · '),
    ),
    left > 0
      ? h(
          'div',
          { class: 'recall-quantities' },
          DISPOSITIONS.map((d) =>
            h(
              'label',
              { class: 'field' },
              h('span', { class: 'field-label' }, `${t(`recall.${d}`)}（${unit}）`),
              h('input', { name: `${l.traceCode}:${d}`, type: 'number', inputmode: 'decimal', min: 0, step: 'any', 'data-testid': `recall-${d}` }),
            ),
          ),
        )
      : h('p', null, badge(t('recall.lotDone'), 'ok')),
  );
}
