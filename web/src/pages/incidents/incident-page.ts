import { regionLabel, regionNames } from '../../api/regions';
import type { IncidentDetail } from '../../api/types';
import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { session } from '../../app/session';
import { label, t } from '../../i18n/i18n';
import { badge, card, errorView as errorBox, facts } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { dateTime } from '../../ui/format';
import { chainTable } from './chain-table';
import { incidentMap } from './chain-map';
import { handlingLog } from './handling-log';
import { handlingRecord, incidentActions } from './incident-actions';
import { getChain, getIncident, getRecall } from './incident-api';
import { leadAgency, levelTone, statusTone } from './incident-labels';
import { recallProgressView } from './recall-progress';
import { reportDownloads } from './report-downloads';
import { managesIncidents } from './roles';

/** How often the recall progress is fetched again while the response runs (the projection keeps it live). */
const RECALL_POLL_MS = 5_000;


/**
 * 应急事件: the record and its lead agency, the review and response, the chain on a map and as a table
 * (追溯链条数据表), recall progress, the handling log, the handling record once closed, and the reports.
 */
export const incidentPage: Page = async (root, route) => {
  const id = route.parts[1] ?? '';
  const head = h('header', { class: 'page-head' });
  const actionsEl = h('div');
  const mapEl = h('div', { class: 'incident-map', 'data-testid': 'incident-map' });
  const legend = h('p', { class: 'map-legend', 'data-testid': 'map-legend' });
  const recallEl = h('div', null, t('common.loading'));
  const chainEl = h('div', null, t('common.loading'));
  const logEl = h('div');
  const reportsEl = h('div');
  const recordCard = card(t('incident.record'));
  const actionsCard = card(t('incident.actions'), actionsEl);
  const chainCard = card(t('incident.chain'), chainEl);

  let incident: IncidentDetail;
  try {
    incident = await getIncident(id);
  } catch (err) {
    replace(root, errorBox(err));
    return;
  }
  replace(
    root,
    head,
    actionsCard,
    recordCard,
    h('div', { class: 'two-col' }, card(t('incident.map'), mapEl, legend), card(t('incident.recall'), recallEl)),
    chainCard,
    card(t('incident.handlingLog'), logEl),
    card(t('incident.reports'), reportsEl),
  );

  const map = await incidentMap(mapEl, legend);
  const canManage = managesIncidents(session.identity()?.role);

  const loadRecall = () =>
    getRecall(id)
      .then((p) => replace(recallEl, recallProgressView(p)))
      .catch((err) => replace(recallEl, errorBox(err)));

  const refresh = async (): Promise<void> => {
    incident = await getIncident(id).catch(() => incident);
    await regionNames([incident.place.regionCode, incident.leadRegionCode, ...incident.regionsTouched].filter(Boolean)).catch(() => undefined);
    setTitle(incident.title);
    root.dataset.status = incident.status;
    replace(head, headView(incident));
    replace(actionsEl, canManage ? incidentActions(incident, refresh) : h('p', { class: 'muted' }, t('incident.readOnly')));
    actionsCard.hidden = incident.status === 'closed';
    // Awaiting review, the review is what the page is for; once the response runs, the chain and progress are.
    if (incident.status === 'recorded') head.after(actionsCard);
    else chainCard.after(actionsCard);
    const record = handlingRecord(incident);
    recordCard.hidden = !record;
    replace(recordCard, h('h2', null, t('incident.record')), record);
    replace(logEl, handlingLog(incident, canManage, refresh));
    replace(reportsEl, reportDownloads(incident));
    await Promise.all([
      loadRecall(),
      getChain(id)
        .then(async (chain) => {
          await regionNames(chain.nodes.map((n) => ('redacted' in n ? n.regionCode : n.holder.regionCode))).catch(() => undefined);
          replace(chainEl, chainTable(chain), chain.openedByGrantOf ? h('p', { class: 'note', 'data-testid': 'grant-note' }, t('incident.grantNote')) : null);
          // The map is an aid beside the table: a boundary layer that failed to load must not hide the table.
          await map.draw(chain).catch(() => undefined);
        })
        .catch((err) => replace(chainEl, errorBox(err))),
    ]);
  };
  await refresh();

  // Live progress while the response runs: holders acknowledge and report from their own inboxes.
  const timer = window.setInterval(() => {
    if (incident.status === 'responding') void loadRecall();
  }, RECALL_POLL_MS);
  return () => {
    window.clearInterval(timer);
    map.destroy();
  };
};

function headView(i: IncidentDetail): HTMLElement[] {
  return [
    h('p', { class: 'eyebrow' }, h('a', { href: '#/incidents' }, t('incidents.title')), ' › ', label('incidentCategory', i.category)),
    h('h1', { 'data-testid': 'incident-title' }, i.title),
    h(
      'p',
      null,
      badge(label('incidentStatus', i.status), statusTone(i.status)),
      ' ',
      badge(label('incidentLevel', i.level), levelTone(i.level)),
    ),
    facts([
      [t('incident.description'), i.description],
      [t('incident.occurredAt'), dateTime(i.occurredAt)],
      [t('incident.place'), `${i.place.address} · ${regionLabel(i.place.regionCode, true)}`],
      [t('incident.lead'), h('span', { 'data-testid': 'incident-lead' }, leadAgency(i.leadRegionCode))],
      [t('incident.responsible'), `${i.responsible.name}${i.responsible.phone ? ` · ${i.responsible.phone}` : ''}`],
      [t('incident.source'), label('incidentSource', i.source.kind)],
      [t('incident.regions'), i.regionsTouched.map((c) => regionLabel(c, true)).join('、')],
      [t('incident.recordedAt'), dateTime(i.recordedAt)],
      [t('incident.review'), i.review ? `${label('reviewDecision', i.review.decision)} · ${i.review.opinion} · ${dateTime(i.review.at)}` : null],
      [t('incident.recallDeadline'), i.recallDeadline ? dateTime(i.recallDeadline) : null],
      [t('incident.notices'), i.noticeIds.length ? h('span', { 'data-testid': 'incident-notices' }, t('incident.noticeCount', { count: i.noticeIds.length })) : null],
      [t('incident.escalations'), i.escalations.length ? i.escalations.map((e) => `${leadAgency(e.from)} → ${leadAgency(e.to)}`).join('；') : null],
    ]),
  ].filter((x): x is HTMLElement => x !== null);
}
