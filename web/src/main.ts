import './styles.css';
import { loadConfig } from './app/config';
import { renderHeader } from './app/layout';
import type { Page } from './app/page';
import { currentRoute, onRouteChange, type Route } from './app/router';
import { session } from './app/session';
import { currentLang, setLang } from './i18n/i18n';
import { errorView, loading } from './ui/components';
import { watchTables } from './ui/phone-tables';

/** Pages are separate chunks: the consumer page (opened from a label on a phone) loads only what it needs. */
function pageFor(route: Route): [name: string, load: () => Promise<Page>] {
  const [a, b] = route.parts;
  switch (a) {
    case 't':
      return ['consumer', () => import('./pages/consumer/consumer-page').then((m) => m.consumerPage)];
    case 'login':
      return ['login', () => import('./pages/login-page').then((m) => m.loginPage)];
    case 'supervisor':
      if (b === 'search') return ['search', () => import('./pages/supervisor/search-page').then((m) => m.searchPage)];
      if (b === 'warnings') return ['warnings', () => import('./pages/supervisor/warnings-page').then((m) => m.warningsPage)];
      if (b === 'reviews') return ['reviews', () => import('./pages/supervisor/review-queue-page').then((m) => m.reviewQueuePage)];
      if (b === 'inspections') return ['inspections', () => import('./pages/supervisor/inspections-page').then((m) => m.inspectionsPage)];
      if (b === 'tasks') return ['tasks', () => import('./pages/supervisor/tasks-page').then((m) => m.tasksPage)];
      if (b === 'faults') return ['faults', () => import('./pages/supervisor/faults-page').then((m) => m.faultsPage)];
      if (b === 'complaints') return ['complaints', () => import('./pages/supervisor/complaints-page').then((m) => m.complaintsPage)];
      return ['map', () => import('./pages/supervisor/map-page').then((m) => m.mapPage)];
    case 'entities':
      return ['entity', () => import('./pages/supervisor/entity-page').then((m) => m.entityPage)];
    case 'lots':
      return ['lot', () => import('./pages/supervisor/lot-page').then((m) => m.lotPage)];
    case 'incidents':
      if (b) return ['incident', () => import('./pages/incidents/incident-page').then((m) => m.incidentPage)];
      return ['incidents', () => import('./pages/incidents/incidents-page').then((m) => m.incidentsPage)];
    case 'origin':
      if (b === 'map') return ['origin-map', () => import('./pages/origin/map-page').then((m) => m.originMapPage)];
      if (b === 'import') return ['origin-import', () => import('./pages/origin/import-page').then((m) => m.importPage)];
      if (b === 'review') return ['origin-review', () => import('./pages/origin/review-page').then((m) => m.reviewPage)];
      if (b === 'new') return ['origin-new', () => import('./pages/origin/new-record-page').then((m) => m.newRecordPage)];
      if (b === 'records') return ['origin-record', () => import('./pages/origin/record-page').then((m) => m.recordPage)];
      return ['origin', () => import('./pages/origin/table-page').then((m) => m.tablePage)];
    case 'statistics':
      return ['statistics', () => import('./pages/statistics/statistics-page').then((m) => m.statisticsPage)];
    case 'lab':
      return ['lab', () => import('./pages/lab/lab-page').then((m) => m.labPage)];
    case 'cases':
      if (b === 'new') return ['case-new', () => import('./pages/enforcement/new-case-page').then((m) => m.newCasePage)];
      if (b) return ['case', () => import('./pages/enforcement/case-page').then((m) => m.casePage)];
      return ['cases', () => import('./pages/enforcement/cases-page').then((m) => m.casesPage)];
    case 'admin':
      if (b === 'org') return ['org', () => import('./pages/admin/organisation-page').then((m) => m.organisationPage)];
      return ['accounts', () => import('./pages/admin/accounts-page').then((m) => m.accountsPage)];
    case 'audit':
      return ['audit', () => import('./pages/auditor/auditor-page').then((m) => m.auditorPage)];
    case 'producer':
      if (b === 'register') return ['register', () => import('./pages/producer/register-page').then((m) => m.registerPage)];
      return ['producer', () => import('./pages/producer/producer-page').then((m) => m.producerPage)];
    default:
      return ['home', () => import('./pages/home-page').then((m) => m.homePage)];
  }
}

let leave: (() => void) | undefined;
let generation = 0;

async function render(): Promise<void> {
  const mine = ++generation;
  leave?.();
  leave = undefined;
  const route = currentRoute();
  const header = document.getElementById('app-header')!;
  const main = document.getElementById('app-main')!;
  renderHeader(header, route, render);
  const [name, load] = pageFor(route);
  // Each visit renders into a fresh container: a slow page the user already left writes into a detached node.
  const container = document.createElement('div');
  container.className = `page page-${name}`;
  container.dataset.page = name;
  container.dataset.state = 'loading';
  container.append(loading());
  main.replaceChildren(container);
  try {
    const page = await load();
    if (mine !== generation) return;
    container.replaceChildren();
    const cleanup = await page(container, route);
    if (mine !== generation) cleanup?.();
    else leave = cleanup ?? undefined;
  } catch (err) {
    container.replaceChildren(errorView(err));
  }
  container.dataset.state = 'ready';
  // "First meaningful content": the page has its data on screen (read by the load-time test).
  performance.mark(`suyuan:ready:${name}`);
  window.scrollTo(0, 0);
}

async function boot(): Promise<void> {
  setLang(currentLang());
  // A new tab takes the sign-in of the browser's other tabs (app/session.ts); a shopper's label page needs none.
  await Promise.all([loadConfig(), currentRoute().parts[0] === 't' ? undefined : session.join(250)]);
  watchTables(document.getElementById('app-main')!);
  onRouteChange(() => void render());
  session.onChange(() => void render());
  await render();
}

void boot();
