import { currentLang, setLang, t, label, type Key } from '../i18n/i18n';
import { h, replace } from '../ui/dom';
import { config } from './config';
import type { Route } from './router';
import { readsIncidents } from '../pages/incidents/roles';
import { readsStatistics } from '../pages/statistics/roles';
import { readsOrigin } from '../pages/origin/roles';
import { worksInLab } from '../pages/lab/roles';
import { managesCases } from '../pages/enforcement/roles';
import { reviewsRegistrations, recordsInspections, publishesTasks, reportsFaults } from '../pages/supervisor/work-roles';
import { administersAccounts } from '../pages/admin/admin-roles';
import { session, type Role } from './session';

/** The supervisor role and every role that inherits it (domain/accounts/permissions.ts): map, search, warnings, audit. */
const SUPERVISION: ReadonlySet<Role> = new Set(['supervisor', 'inspector', 'township-admin', 'county-admin', 'city-admin', 'province-admin', 'ministry-admin', 'enforcement', 'auditor']);
const supervises = (role: Role | undefined) => role !== undefined && SUPERVISION.has(role);
/** Producers, and anyone not signed in (the way to sign in as one, or to apply for registration). */
const producesOrAnonymous = (role: Role | undefined) => role === undefined || role === 'producer';

/** An entry with a `shownTo` test appears only for the roles that may use its page (the API decides the rest). */
const NAV: [href: string, key: Key, section: string, shownTo?: (role: Role | undefined) => boolean][] = [
  ['#/', 'nav.lookup', ''],
  ['#/lab', 'nav.lab', 'lab', worksInLab],
  ['#/cases', 'nav.cases', 'cases', managesCases],
  ['#/supervisor', 'nav.map', 'supervisor', supervises],
  ['#/supervisor/search', 'nav.search', 'search', supervises],
  ['#/supervisor/warnings', 'nav.warnings', 'warnings', supervises],
  ['#/supervisor/reviews', 'nav.reviews', 'reviews', reviewsRegistrations],
  ['#/supervisor/inspections', 'nav.inspections', 'inspections', recordsInspections],
  ['#/supervisor/tasks', 'nav.tasks', 'tasks', publishesTasks],
  ['#/supervisor/faults', 'nav.faults', 'faults', reportsFaults],
  ['#/supervisor/complaints', 'nav.complaints', 'complaints', reviewsRegistrations],
  ['#/incidents', 'nav.incidents', 'incidents', readsIncidents],
  ['#/statistics', 'nav.statistics', 'statistics', readsStatistics],
  ['#/origin', 'nav.origin', 'origin', readsOrigin],
  ['#/audit', 'nav.audit', 'audit', supervises],
  ['#/admin', 'nav.accounts', 'admin', administersAccounts],
  ['#/producer', 'nav.producer', 'producer', producesOrAnonymous],
];

function sectionOf(route: Route): string {
  const [a, b] = route.parts;
  if (a === 'supervisor') return b === 'search' || b === 'warnings' || b === 'reviews' || b === 'inspections' || b === 'tasks' || b === 'faults' || b === 'complaints' ? b : 'supervisor';
  if (a === 'entities' || a === 'lots') return 'search';
  return a ?? '';
}

/** The header: brand, navigation (not on the consumer page, which a shopper opens from a label), language, identity. */
export function renderHeader(header: HTMLElement, route: Route, rerender: () => void): void {
  const consumer = route.parts[0] === 't';
  const active = sectionOf(route);
  const who = session.identity();
  const langSwitch = h(
    'button',
    {
      type: 'button',
      class: 'lang-switch',
      'data-testid': 'lang-switch',
      // The accessible name starts with the visible text (WCAG 2.5.3 label in name), then says what it does.
      'aria-label': `${currentLang() === 'zh' ? 'EN' : '中文'} · ${t('nav.language')}`,
      lang: currentLang() === 'zh' ? 'en' : 'zh-CN',
      onclick: () => {
        setLang(currentLang() === 'zh' ? 'en' : 'zh');
        rerender();
      },
    },
    currentLang() === 'zh' ? 'EN' : '中文',
  );
  const identity = consumer
    ? null
    : who
      ? h(
          'span',
          { class: 'who' },
          h('span', { class: 'who-name', 'data-testid': 'who' }, `${who.displayName} · ${label('role', who.role)}`),
          h('button', { type: 'button', class: 'link', onclick: () => session.signOut() }, t('nav.signOut')),
        )
      : h('a', { href: '#/login', class: 'sign-in' }, config().authMode === 'dev-headers' ? t('nav.actAs') : t('nav.signIn'));
  // Keyboard users skip the navigation to the page itself (the first Tab stop of every page).
  const skip = h(
    'a',
    {
      href: '#app-main',
      class: 'skip-link',
      'data-testid': 'skip-link',
      onclick: (e: Event) => {
        e.preventDefault(); // the hash is the router's: focus the page instead of navigating
        const main = document.getElementById('app-main');
        if (!main) return;
        main.tabIndex = -1;
        main.focus();
      },
    },
    t('nav.skip'),
  );
  replace(
    header,
    skip,
    h(
      'div',
      { class: 'bar' },
      h('a', { href: consumer ? '/' : '#/', class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, '溯'), h('span', null, t('app.name'))),
      consumer
        ? null
        : h('nav', { class: 'main-nav', 'aria-label': t('nav.main') }, NAV.filter(([, , , shownTo]) => !shownTo || shownTo(who?.role)).map(([href, key, section]) => h('a', { href, class: section === active ? 'active' : null }, t(key)))),
      h('div', { class: 'bar-end' }, langSwitch, identity),
    ),
  );
}
