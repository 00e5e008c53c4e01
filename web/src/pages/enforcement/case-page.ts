import { regionLabel, regionNames } from '../../api/regions';
import type { Lot, TraceChain } from '../../api/types';
import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { label, t } from '../../i18n/i18n';
import { alert, badge, card, empty, errorView, facts, loading } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { date, dateTime, groupTraceCode, quantity } from '../../ui/format';
import { getSample } from '../lab/lab-api';
import { verdictBadge } from '../lab/lab-labels';
import { outcomesTable } from '../lab/outcomes-table';
import { actionForm, closeForm } from './case-forms';
import { attachmentList } from '../attachments/attachments';
import { caseChain, getCase, type EnforcementCase } from './enforcement-api';

/** 案件: the referral and its results, the chain of the lots concerned, the actions taken, the outcome. */
export const casePage: Page = async (root, route) => {
  const caseId = route.parts[1]!;
  try {
    await render(root, await getCase(caseId));
  } catch (err) {
    replace(root, h('p', null, h('a', { href: '#/cases' }, `‹ ${t('enf.title')}`)), errorView(err));
  }
};

async function render(root: HTMLElement, c: EnforcementCase, notice: HTMLElement | null = null): Promise<void> {
  await regionNames([c.regionCode]).catch(() => undefined);
  setTitle(`${t('enf.case')} · ${c.subject.entityName}`);
  const refresh = (n: HTMLElement | null = null) => void getCase(c.caseId).then((next) => render(root, next, n)).catch((err) => replace(root, errorView(err)));
  const resultsEl = h('div', { 'data-testid': 'case-results' }, loading());
  const chainEl = h('div', { 'data-testid': 'case-chain' }, loading());
  replace(
    root,
    h('p', null, h('a', { href: '#/cases' }, `‹ ${t('enf.title')}`)),
    h('h1', null, `${t('enf.case')} · ${c.subject.entityName} `, h('span', { 'data-testid': 'case-status', 'data-status': c.status }, c.status === 'open' ? badge(t('enf.status.open'), 'warn') : badge(t('enf.status.closed'), 'muted'))),
    notice,
    card(
      t('enf.details'),
      facts([
        [t('enf.subject'), h('span', null, `${c.subject.entityName}${c.subject.eid ? ` (${c.subject.eid})` : ''} `, c.subject.unregistered ? badge(t('enf.unregistered'), 'warn') : null)],
        ...unregisteredFacts(c),
        [t('enf.region'), regionLabel(c.regionCode, true)],
        [t('enf.product'), c.product],
        [t('enf.referral'), c.referral.kind === 'own' ? `${label('referralKind', 'own')} · ${label('caseSource', c.referral.source)}${c.referral.ref ? ` (${c.referral.ref})` : ''}` : label('referralKind', c.referral.kind)],
        [t('enf.summary'), c.summary],
        [t('enf.openedAt'), dateTime(c.openedAt)],
        [t('enf.caseId'), h('span', { class: 'code small' }, c.caseId)],
      ]),
    ),
    c.referral.kind === 'own' ? null : card(t('enf.results'), resultsEl),
    c.orders?.length ? card(t('enf.orders'), ordersTable(c)) : null,
    card(t('enf.chain'), chainEl),
    card(t('enf.actions'), actionsList(c), c.status === 'open' ? actionForm(c, () => refresh()) : null),
    card(t('enf.evidenceTitle'), attachmentList('case', c.caseId)),
    c.status === 'open'
      ? card(t('enf.closeTitle'), closeForm(c, (lifted) => refresh(alert('ok', t('enf.closed'), lifted.length ? t('enf.lifted', { lots: lifted.map(groupTraceCode).join('、') }) : null))))
      : card(t('enf.outcome'), outcomeView(c)),
  );
  void referralResults(c).then((el) => replace(resultsEl, el)).catch((err) => replace(resultsEl, errorView(err)));
  if (c.traceCodes[0]) void caseChain(c.traceCodes[0]).then((chain) => replace(chainEl, chainTable(chain, c))).catch((err) => replace(chainEl, errorView(err)));
  else replace(chainEl, empty(t('enf.noLots')));
}

async function referralResults(c: EnforcementCase): Promise<HTMLElement> {
  if (c.referral.kind === 'own') return empty('');
  if (c.referral.kind === 'inspection') return h('ul', null, c.referral.findings.map((f) => h('li', null, f)));
  const sample = await getSample(c.referral.sampleId);
  return h(
    'div',
    null,
    facts([
      [t('lab.verdict'), verdictBadge(sample.verdict)],
      [t('lab.reportNo'), c.referral.reportNo],
      [t('lab.sampledAt'), dateTime(sample.sampledAt)],
      [t('lab.placeAddress'), sample.place.address],
      [t('lab.standard'), sample.standard],
    ]),
    sample.outcomes?.length ? outcomesTable(sample.outcomes) : null,
  );
}

/** The lots concerned from the sampled one forward: who holds what, and which are on hold. */
function chainTable(chain: TraceChain, c: EnforcementCase): HTMLElement {
  const concerned = new Set(c.traceCodes);
  const lots = chain.lots.filter((l): l is Lot => !('redacted' in l));
  const hidden = chain.lots.length - lots.length;
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'table' },
      h('thead', null, h('tr', null, [t('lot.code'), t('lot.holder'), t('lot.quantity'), t('lot.available'), t('lot.produced'), t('lot.status')].map((col) => h('th', { scope: 'col' }, col)))),
      h(
        'tbody',
        null,
        lots.map((l) =>
          h(
            'tr',
            { 'data-testid': 'chain-lot', class: concerned.has(l._id) ? 'concerned' : null },
            h('td', null, h('a', { href: `#/lots/${encodeURIComponent(l._id)}`, class: 'code small' }, groupTraceCode(l._id))),
            h('td', null, l.holder.name, h('br'), h('small', { class: 'muted' }, regionLabel(l.holder.regionCode))),
            h('td', null, quantity(l.quantity)),
            h('td', null, quantity({ amount: l.available, unit: l.unit })),
            h('td', null, date(l.productionDate)),
            h('td', null, l.holds.length ? badge(t('lot.onHold'), 'bad') : badge(label('lotStatus', l.status), 'muted')),
          ),
        ),
      ),
    ),
    hidden ? h('p', { class: 'muted' }, t('enf.redacted', { count: hidden })) : null,
  );
}

/** The party as found on site, when it is not registered (未注册主体). */
function unregisteredFacts(c: EnforcementCase): [string, string | null][] {
  const u = c.subject.unregistered;
  if (!u) return [];
  return [
    [t('enf.partyAddress'), u.address],
    [t('enf.partyResponsible'), u.responsible],
    [t('enf.partyPhone'), u.phone],
    [t('enf.partyCreditCode'), u.creditCode],
  ];
}

/** 责令限期整改: each order, its deadline and standing (overdue once the day passed unverified). */
function ordersTable(c: EnforcementCase): HTMLElement {
  const tone = { pending: 'warn', overdue: 'bad', complied: 'ok' } as const;
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'table', 'data-testid': 'case-orders' },
      h('thead', null, h('tr', null, [t('enf.orderSeq'), t('enf.deadline'), t('enf.statusCol')].map((col) => h('th', { scope: 'col' }, col)))),
      h(
        'tbody',
        null,
        (c.orders ?? []).map((o) =>
          h(
            'tr',
            { 'data-testid': 'case-order', 'data-status': o.status },
            h('td', null, `#${o.seq}`),
            h('td', null, o.deadline),
            h('td', null, badge(label('orderStatus', o.status), tone[o.status]), o.overdueAt ? h('small', { class: 'muted' }, ` ${t('enf.overdueSince', { at: dateTime(o.overdueAt) })}`) : null),
          ),
        ),
      ),
    ),
  );
}

function actionsList(c: EnforcementCase): HTMLElement {
  if (!c.actions.length) return empty(t('enf.noActions'));
  return h(
    'ol',
    { class: 'plain case-actions', 'data-testid': 'case-actions' },
    c.actions.map((a) =>
      h(
        'li',
        { 'data-testid': 'case-action', 'data-kind': a.kind },
        h('strong', null, `#${a.seq} ${label('caseAction', a.kind)}`),
        ` · ${date(a.takenOn)}`,
        a.deadline ? h('span', { 'data-testid': 'action-deadline-shown' }, ` · ${t('enf.deadlineLine', { date: a.deadline })}`) : null,
        a.orderSeq ? ` · ${t('enf.verifiesOrder', { seq: a.orderSeq })}` : null,
        h('p', null, a.description),
      ),
    ),
  );
}

function outcomeView(c: EnforcementCase): HTMLElement {
  return h(
    'div',
    { 'data-testid': 'case-outcome' },
    facts([
      [t('enf.outcome'), label('caseOutcome', c.outcome)],
      [t('enf.penaltyYuan'), c.penaltyYuan !== null && c.penaltyYuan !== undefined ? `¥${c.penaltyYuan}` : null],
      [t('enf.closeSummary'), c.closeSummary],
      [t('enf.closedAt'), dateTime(c.closedAt)],
    ]),
  );
}
