import { get } from '../../api/client';
import type { RecordedEvent, StreamHistory, VerifyReport } from '../../api/types';
import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { go, hashHref, replaceRouteQuery } from '../../app/router';
import { label, t } from '../../i18n/i18n';
import { alert, badge, busy, card, errorView, field, loading } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { dateTime, number, preciseTime } from '../../ui/format';
import { actorName, actorText } from './actors';
import { diffView } from './diff-view';
import { inclusionCheckView } from './inclusion-view';
import { resolveStreams, type Candidate } from './lookup';
import { streamKind } from './readable';
import { stateView, type Names } from './state-view';
import type { Entity } from '../../api/types';

/**
 * 审计回放: a stream's events as a timeline, the state "as of" any moment (the API folds the events recorded up
 * to then), the hash-chain integrity check of the stream or the whole ledger, and the inclusion proof of the
 * stream's newest sealed event recomputed in the browser (inclusion-view.ts).
 */
export const auditorPage: Page = async (root, route) => {
  setTitle(t('audit.title'));
  const streamId = route.query.get('stream') ?? '';
  const input = h('input', { name: 'stream', value: streamId, placeholder: t('audit.lookupPlaceholder'), 'aria-label': t('audit.lookupLabel'), 'data-testid': 'stream-input', autocomplete: 'off', spellcheck: 'false' });
  const hitsOut = h('div', { class: 'lookup-hits', 'data-testid': 'lookup-hits', 'aria-live': 'polite' });
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
        onsubmit: async (ev: SubmitEvent) => {
          ev.preventDefault();
          const found = await busy(root.querySelector<HTMLButtonElement>('[data-testid=stream-load]'), hitsOut, () => resolveStreams(input.value));
          if (!found) return;
          if (found.length === 1) go(hashHref('/audit', { stream: found[0]!.streamId }));
          else replace(hitsOut, candidatesView(found));
        },
      },
      input,
      h('button', { type: 'submit', 'data-testid': 'stream-load' }, t('audit.load')),
      verifyLedger,
    ),
    hitsOut,
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
  const kind = streamKind(streamId);
  const names = await namesIn(full.state);
  const integrityEl = h('div', { 'data-testid': 'stream-verify' }, loading());
  const inclusionEl = h('div', { 'data-testid': 'inclusion-verify' }, loading());
  const stateEl = h('div', null);
  const asOfLabel = h('p', { class: 'asof-label', 'data-testid': 'asof-label', 'aria-live': 'polite' });
  const slider = h('input', { type: 'range', min: 1, max: events.length, step: 1, value: events.length, 'data-testid': 'asof-slider', 'aria-label': t('audit.asOfSlider') });
  const picker = h('input', { type: 'datetime-local', step: '0.001', 'data-testid': 'asof-input', 'aria-label': t('audit.asOfTime') });
  const latest = h('button', { type: 'button', class: 'secondary', 'data-testid': 'asof-latest' }, t('audit.latest'));
  const timeline = h(
    'ol',
    { class: 'event-timeline', 'data-testid': 'event-timeline' },
    events.map((e, i) => eventView(e, i, kind, (k) => void showAsOf(events[k]!.recordedAt))),
  );
  const diffEl = h('div', { 'data-testid': 'diff' });
  const eventOption = (e: RecordedEvent, i: number, selected: boolean) => h('option', { value: i, selected }, `#${e.revision} ${label('event', e.type)} · ${preciseTime(e.recordedAt)}`);
  const diffFrom = h('select', { 'data-testid': 'diff-from', 'aria-label': t('audit.diffFrom') }, events.map((e, i) => eventOption(e, i, i === 0)));
  const diffTo = h('select', { 'data-testid': 'diff-to', 'aria-label': t('audit.diffTo') }, events.map((e, i) => eventOption(e, i, i === events.length - 1)));
  const diffRun = h('button', { type: 'button', class: 'secondary', 'data-testid': 'diff-run' }, t('audit.diffRun'));
  diffRun.addEventListener('click', async () => {
    const [a, b] = [events[Number(diffFrom.value)]!, events[Number(diffTo.value)]!];
    const states = await busy(diffRun, diffEl, () =>
      Promise.all([a, b].map((e) => get<StreamHistory>(`/api/v1/audit/streams/${encodeURIComponent(streamId)}`, { asOf: e.recordedAt }))),
    );
    if (states) replace(diffEl, h('p', { class: 'muted' }, t('audit.diffBetween', { from: preciseTime(a.recordedAt), to: preciseTime(b.recordedAt) })), diffView(states[0]!.state, states[1]!.state, kind));
  });
  // Actors by name and organisation, filled in as they resolve (the timeline is usable before).
  for (const [i, e] of events.entries())
    void actorName(e.actor).then((a) => {
      const el = timeline.children[i]?.querySelector('[data-testid=event-actor]');
      if (el) el.textContent = actorText(a);
    });

  replace(
    body,
    h('div', { class: 'two-col' }, card(t('audit.integrity'), integrityEl, inclusionEl), card(t('audit.asOf'), h('div', { class: 'asof-controls' }, slider, h('div', { class: 'row' }, picker, latest)), asOfLabel, stateEl)),
    card(t('audit.diff'), h('div', { class: 'row' }, field(t('audit.diffFrom'), diffFrom), field(t('audit.diffTo'), diffTo), diffRun), diffEl),
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
      stateEl.replaceChildren(shown === 0 ? h('p', { class: 'muted' }, t('audit.nothingYet')) : view.state === null ? h('p', { class: 'muted', 'data-testid': 'asof-no-state' }, t('audit.noFold')) : stateView(view.state, kind, names));
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
  void inclusionCheckView(events).then((v) => replace(inclusionEl, v));
  await showAsOf(route.query.get('asOf'));
};

function eventView(e: RecordedEvent, index: number, kind: string, asOfHere: (index: number) => void): HTMLElement {
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
        ' · ',
        h('span', { 'data-testid': 'event-actor' }, `${label('role', e.actor.role)} ${e.actor.userId}`),
      ),
      h('p', { class: 'hashes' }, h('code', { title: e.hash }, `hash ${e.hash.slice(0, 16)}…`), ' ← ', h('code', { title: e.prevHash }, `prev ${e.prevHash.slice(0, 16)}…`)),
      h(
        'div',
        { class: 'row' },
        h(
          'details',
          null,
          h('summary', null, t('audit.data')),
          stateView(e.data, kind, new Map(), 'event-data'),
          h('details', null, h('summary', null, t('audit.rawData')), h('pre', { class: 'json' }, JSON.stringify(e.data, null, 2))),
        ),
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

/** Several streams match what was typed: the auditor picks one. */
function candidatesView(found: Candidate[]): HTMLElement {
  if (found.length === 0) return alert('warn', t('audit.lookupNone'));
  return h(
    'ul',
    { class: 'plain-list' },
    found.map((c) => h('li', null, h('a', { href: hashHref('/audit', { stream: c.streamId }), 'data-testid': 'lookup-hit' }, c.title), ' ', badge(t(`audit.kind.${c.kind}`), 'muted'), c.detail ? h('small', { class: 'muted' }, ` ${c.detail}`) : null)),
  );
}

/** Names for the entity ids a state refers to (its holder, a transfer's sides), for the readable view. */
async function namesIn(state: unknown): Promise<Names> {
  const names: Names = new Map();
  if (typeof state !== 'object' || state === null) return names;
  const ids = ['entityId', 'fromEntityId', 'toEntityId'].map((k) => (state as Record<string, unknown>)[k]).filter((v): v is string => typeof v === 'string' && v !== '');
  await Promise.all(
    [...new Set(ids)].map((id) =>
      get<Entity>(`/api/v1/entities/${encodeURIComponent(id)}`)
        .then((e) => names.set(id, e.name))
        .catch(() => undefined),
    ),
  );
  return names;
}

/** ISO → the value of a datetime-local input in this browser's time zone (with milliseconds). */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
