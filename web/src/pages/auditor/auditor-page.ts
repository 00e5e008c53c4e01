import { get } from '../../api/client';
import type { RecordedEvent, StreamHistory, VerifyReport } from '../../api/types';
import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { go, hashHref, replaceRouteQuery } from '../../app/router';
import { label, t } from '../../i18n/i18n';
import { alert, badge, busy, card, errorView, loading } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { dateTime, number, preciseTime } from '../../ui/format';
import { stateView } from './state-view';

/**
 * 审计回放: a stream's events as a timeline, the state "as of" any moment (the API folds the events recorded up
 * to then), and the hash-chain integrity check of the stream or the whole ledger.
 */
export const auditorPage: Page = async (root, route) => {
  setTitle(t('audit.title'));
  const streamId = route.query.get('stream') ?? '';
  const input = h('input', { name: 'stream', value: streamId, placeholder: 'lot-{traceCode} · entity-{id} · transfer-{id}', 'data-testid': 'stream-input', autocomplete: 'off', spellcheck: 'false' });
  const ledgerOut = h('div', { 'data-testid': 'ledger-verify' });
  const verifyLedger = h('button', { type: 'button', class: 'secondary', 'data-testid': 'verify-ledger' }, t('audit.verifyLedger'));
  verifyLedger.addEventListener('click', async () => {
    const report = await busy(verifyLedger, ledgerOut, () => get<VerifyReport>('/api/v1/audit/verify'));
    if (report) replace(ledgerOut, verifyView(report));
  });
  const body = h('div', null);
  replace(
    root,
    h('h1', null, t('audit.title')),
    h(
      'form',
      {
        class: 'stream-form',
        onsubmit: (ev: SubmitEvent) => {
          ev.preventDefault();
          const id = normaliseStreamId(input.value);
          if (id) go(hashHref('/audit', { stream: id }));
        },
      },
      input,
      h('button', { type: 'submit', 'data-testid': 'stream-load' }, t('audit.load')),
      verifyLedger,
    ),
    ledgerOut,
    body,
  );
  if (!streamId) {
    replace(body, h('p', { class: 'muted' }, t('audit.lead')));
    return;
  }

  replace(body, loading());
  let full: StreamHistory;
  try {
    full = await get<StreamHistory>(`/api/v1/audit/streams/${encodeURIComponent(streamId)}`);
  } catch (err) {
    replace(body, errorView(err));
    return;
  }
  const events = full.events;
  const integrityEl = h('div', { 'data-testid': 'stream-verify' }, loading());
  const stateEl = h('div', null);
  const asOfLabel = h('p', { class: 'asof-label', 'data-testid': 'asof-label', 'aria-live': 'polite' });
  const slider = h('input', { type: 'range', min: 1, max: events.length, step: 1, value: events.length, 'data-testid': 'asof-slider', 'aria-label': t('audit.asOfSlider') });
  const picker = h('input', { type: 'datetime-local', step: '0.001', 'data-testid': 'asof-input', 'aria-label': t('audit.asOfTime') });
  const latest = h('button', { type: 'button', class: 'secondary', 'data-testid': 'asof-latest' }, t('audit.latest'));
  const timeline = h(
    'ol',
    { class: 'event-timeline', 'data-testid': 'event-timeline' },
    events.map((e, i) => eventView(e, i, (k) => void showAsOf(events[k]!.recordedAt))),
  );

  replace(
    body,
    h('div', { class: 'two-col' }, card(t('audit.integrity'), integrityEl), card(t('audit.asOf'), h('div', { class: 'asof-controls' }, slider, h('div', { class: 'row' }, picker, latest)), asOfLabel, stateEl)),
    card(t('audit.history', { count: number(full.totalEvents) }), timeline),
  );

  let seq = 0;
  async function showAsOf(asOf: string | null): Promise<void> {
    const mine = ++seq;
    replaceRouteQuery('/audit', { stream: streamId, asOf: asOf ?? undefined });
    stateEl.replaceChildren(loading());
    try {
      const view = asOf ? await get<StreamHistory>(`/api/v1/audit/streams/${encodeURIComponent(streamId)}`, { asOf }) : full;
      if (mine !== seq) return;
      const shown = view.events.length;
      slider.value = String(Math.max(1, shown));
      picker.value = asOf ? toLocalInput(asOf) : '';
      asOfLabel.replaceChildren(
        asOf ? t('audit.asOfAt', { time: preciseTime(view.asOf ?? asOf), shown, total: events.length }) : t('audit.asOfNow', { total: events.length }),
      );
      [...timeline.children].forEach((li, i) => li.classList.toggle('future', i >= shown));
      stateEl.replaceChildren(shown === 0 ? h('p', { class: 'muted' }, t('audit.nothingYet')) : stateView(view.state));
    } catch (err) {
      stateEl.replaceChildren(errorView(err));
    }
  }

  slider.addEventListener('input', () => void showAsOf(events[Number(slider.value) - 1]!.recordedAt));
  picker.addEventListener('change', () => {
    const d = new Date(picker.value);
    if (!Number.isNaN(d.getTime())) void showAsOf(d.toISOString());
  });
  latest.addEventListener('click', () => void showAsOf(null));

  void get<VerifyReport>('/api/v1/audit/verify', { stream: streamId })
    .then((r) => replace(integrityEl, verifyView(r)))
    .catch((err) => replace(integrityEl, errorView(err)));
  await showAsOf(route.query.get('asOf'));
};

function eventView(e: RecordedEvent, index: number, asOfHere: (index: number) => void): HTMLElement {
  return h(
    'li',
    { 'data-type': e.type },
    h('span', { class: 'dot', 'aria-hidden': 'true' }),
    h(
      'div',
      null,
      h(
        'p',
        { class: 'event-head' },
        h('span', { class: 'rev' }, `#${e.revision}`),
        h('strong', null, label('event', e.type)),
        h('span', { class: 'muted' }, ` ${e.type}`),
      ),
      h(
        'p',
        { class: 'muted' },
        `${t('audit.recordedAt')} ${preciseTime(e.recordedAt)}`,
        e.occurredAt !== e.recordedAt ? ` · ${t('audit.occurredAt')} ${dateTime(e.occurredAt)}` : '',
        ` · ${label('role', e.actor.role)} ${e.actor.userId}`,
      ),
      h('p', { class: 'hashes' }, h('code', { title: e.hash }, `hash ${e.hash.slice(0, 16)}…`), ' ← ', h('code', { title: e.prevHash }, `prev ${e.prevHash.slice(0, 16)}…`)),
      h(
        'div',
        { class: 'row' },
        h('details', null, h('summary', null, t('audit.data')), h('pre', { class: 'json' }, JSON.stringify(e.data, null, 2))),
        h('button', { type: 'button', class: 'link', onclick: () => asOfHere(index) }, t('audit.asOfHere')),
      ),
    ),
  );
}

function verifyView(r: VerifyReport): HTMLElement {
  const scope = r.scope === 'stream' ? t('audit.scopeStream') : t('audit.scopeLedger');
  if (r.ok)
    return alert('ok', `${scope}: ${t('audit.intact')}`, t('audit.checked', { events: number(r.eventsChecked), streams: number(r.streamsChecked), at: dateTime(r.checkedAt) }));
  return alert(
    'bad',
    `${scope}: ${t('audit.broken', { count: r.breaks.length })}`,
    h('ul', null, r.breaks.map((b) => h('li', null, badge(String(b.reason ?? b.kind ?? 'break'), 'bad'), ' ', JSON.stringify(b)))),
  );
}

/** Accepts a bare trace code (→ lot-{code}) as well as a full stream id. */
function normaliseStreamId(input: string): string {
  const s = input.trim();
  if (/^[a-z]+-/.test(s)) return s;
  const code = s.replace(/[-\s]/g, '').toUpperCase();
  return /^[0-9A-Z]{25}$/.test(code) ? `lot-${code}` : s;
}

/** ISO → the value of a datetime-local input in this browser's time zone (with milliseconds). */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
