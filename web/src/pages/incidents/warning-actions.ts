import { post } from '../../api/client';
import type { Finding } from '../../api/types';
import { go } from '../../app/router';
import { session } from '../../app/session';
import { label, t } from '../../i18n/i18n';
import { h } from '../../ui/dom';
import { pick } from '../../ui/findings';
import { errorView as errorBox } from '../../ui/components';
import { openFromWarning } from './incident-api';
import { managesIncidents } from './roles';

const RESOLUTIONS = ['handled', 'false-alarm', 'retest-passed', 'condition-cleared'];

/** Whether the signed-in role handles warnings (warning.manage, incident.record): the actions column is shown. */
export const handlesWarnings = () => managesIncidents(session.identity()?.role);

/**
 * A warning's actions on the warnings page: 受理 (acknowledge), 关闭 (close with a reason) and 启动应急 (open
 * an incident from it in one step, with the signed-in user as the responsible person, then go to it).
 */
export function warningActions(w: Finding, reload: () => void): HTMLElement {
  const id = pick(w, 'warningId', '_id') ?? '';
  const state = pick(w, 'state', 'status') ?? '';
  const out = h('div', { class: 'form-out' });
  const cell = h('td', { class: 'warning-actions', 'data-testid': 'warning-actions' });
  if (state === 'closed') return cell;

  const run = async (button: HTMLButtonElement, action: () => Promise<void>) => {
    button.disabled = true;
    out.replaceChildren();
    try {
      await action();
    } catch (err) {
      out.replaceChildren(errorBox(err));
    } finally {
      button.disabled = false;
    }
  };
  const path = `/api/v1/risk-warnings/${encodeURIComponent(id)}`;

  const ack = h('button', { type: 'button', class: 'small secondary', 'data-testid': 'warning-acknowledge' }, t('warnings.acknowledge'));
  ack.addEventListener('click', () => void run(ack, async () => (await post(`${path}/acknowledge`), reload())));

  const reason = h('input', { name: 'reason', class: 'small', placeholder: t('warnings.closeReason'), 'aria-label': t('warnings.closeReason'), 'data-testid': 'warning-close-reason', maxlength: 2000 });
  const resolution = h('select', { name: 'resolution', class: 'small', 'aria-label': t('warnings.resolution') }, RESOLUTIONS.map((r) => h('option', { value: r }, label('warningResolution', r))));
  const close = h('button', { type: 'button', class: 'small secondary', 'data-testid': 'warning-close' }, t('warnings.close'));
  close.addEventListener('click', () => {
    if (!reason.value.trim()) return reason.focus();
    void run(close, async () => (await post(`${path}/close`, { reason: reason.value.trim(), resolution: resolution.value }), reload()));
  });

  const open = h('button', { type: 'button', class: 'small danger', 'data-testid': 'warning-open-incident' }, t('warnings.openIncident'));
  open.addEventListener('click', () => {
    const who = session.identity();
    if (!who) return;
    void run(open, async () => {
      const r = await openFromWarning(id, { userId: who.userId, name: who.displayName });
      go(`#/incidents/${encodeURIComponent(r.incidentId)}`);
    });
  });

  cell.append(h('div', { class: 'row' }, state === 'raised' ? ack : null, open), h('div', { class: 'row' }, reason, resolution, close), out);
  return cell;
}
