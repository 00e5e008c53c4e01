import { get } from '../../api/client';
import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { go, hashHref } from '../../app/router';
import { t, type Key } from '../../i18n/i18n';
import type { BaseMap } from '../../map/base-map';
import { errorView } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { number } from '../../ui/format';
import { chart, resizeAll, type Chart } from './charts';
import { evaluationSection } from './evaluation-section';
import { originSection } from './origin-section';
import { reportsSection } from './reports-section';
import { uploadsSection } from './uploads-section';
import { downloadXlsx } from './export-xlsx';
import { flowMap } from './flow-map';
import type { Breakdown, Flows, Overview, Values } from './types';

/**
 * 统计分析 dashboard (issue 14): the national, provincial or county overview in the caller's scope — cards with
 * 同比 / 环比, the state now, a trend line, a bar per sub-region (click to drill down: country → province →
 * its counties), a pie by product, a gauge for the pass rate, the flow map — each chart's data as XLSX from
 * the server's export. Prints on its own stylesheet (styles.css, @media print).
 */
const CARDS = ['entitiesApplied', 'lotsCreated', 'producedKg', 'transfersConfirmed', 'confirmationRate', 'certificates', 'samples', 'passRate', 'failedResults', 'warningsRaised', 'casesOpened', 'inspections', 'lookups'];
const RATES = new Set(['confirmationRate', 'passRate']);
const TREND = ['lotsCreated', 'transfersConfirmed', 'certificates', 'samples'];

const percent = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const valueText = (key: string, v: number | null) => (RATES.has(key) ? percent(v) : v === null ? '—' : number(Math.round(v * 10) / 10));
const indicator = (key: string) => t(`stats.indicator.${key}` as Key);

function changeBadge(kind: 'yoy' | 'mom', v: number | null): HTMLElement {
  const tone = v === null ? 'muted' : v > 0 ? 'up' : v < 0 ? 'down' : 'flat';
  const text = v === null ? '—' : `${v > 0 ? '+' : ''}${(v * 100).toFixed(1)}%`;
  return h('span', { class: `stat-change ${tone}`, 'data-testid': `change-${kind}` }, `${t(kind === 'yoy' ? 'stats.yoy' : 'stats.mom')} ${text}`);
}

export const statisticsPage: Page = async (root, route) => {
  setTitle(t('stats.title'));
  const q = {
    region: route.query.get('region') ?? undefined,
    from: route.query.get('from') ?? undefined,
    to: route.query.get('to') ?? undefined,
    product: route.query.get('product') ?? undefined,
  };
  const charts: Chart[] = [];
  let map: BaseMap | null = null;
  const onResize = () => resizeAll(charts);
  window.addEventListener('resize', onResize);
  const cleanup = () => {
    window.removeEventListener('resize', onResize);
    for (const c of charts) c.dispose();
    map?.destroy();
  };

  let overview: Overview;
  let regions: Breakdown;
  let products: Breakdown;
  let flows: Flows;
  try {
    overview = await get<Overview>('/api/v1/statistics/overview', q);
    const level = overview.region.level;
    // A province drills down to its counties (past the cities, most of which only group counties).
    const childLevel = level === 1 ? 'county' : undefined;
    [regions, products, flows] = await Promise.all([
      get<Breakdown>('/api/v1/statistics/breakdown', { ...q, region: overview.region.code || undefined, by: 'region', level: childLevel }),
      get<Breakdown>('/api/v1/statistics/breakdown', { ...q, region: overview.region.code || undefined, by: 'product' }),
      get<Flows>('/api/v1/statistics/flows', { ...q, region: overview.region.code || undefined, flowLevel: level >= 1 ? 'county' : 'province' }),
    ]);
  } catch (err) {
    replace(root, h('h1', null, t('stats.title')), errorView(err));
    return cleanup;
  }
  const region = overview.region;
  const scoped = { ...q, region: region.code || undefined };
  const exportButton = (query: Record<string, string | undefined>, testid: string) =>
    h('button', { type: 'button', class: 'link export-xlsx no-print', 'data-testid': testid, onclick: () => void downloadXlsx({ ...scoped, ...query }).catch((err) => alert(String(err))) }, t('stats.exportXlsx'));

  // Breadcrumb: 全国 › province › county, each a link up.
  const crumbs: HTMLElement[] = [h('a', { href: hashHref('/statistics', { ...q, region: '' }) }, t('stats.national'))];
  if (region.code.length >= 2) crumbs.push(h('a', { href: hashHref('/statistics', { ...q, region: region.code.slice(0, 2) }) }, region.code.length === 2 ? region.name : region.name.split(' ')[0]!));
  if (region.code.length > 2) crumbs.push(h('span', null, region.name));

  const form = h(
    'form',
    { class: 'stats-filters no-print', 'data-testid': 'stats-filters', onsubmit: (e: Event) => {
      e.preventDefault();
      const f = new FormData(e.target as HTMLFormElement);
      go(hashHref('/statistics', { region: region.code, from: String(f.get('from') || ''), to: String(f.get('to') || ''), product: String(f.get('product') || '') }));
    } },
    h('label', null, t('stats.from'), h('input', { type: 'month', name: 'from', value: overview.range.from.slice(0, 7) })),
    h('label', null, t('stats.to'), h('input', { type: 'month', name: 'to', value: overview.range.to.slice(0, 7) })),
    h('label', null, t('stats.product'), h('input', { type: 'text', name: 'product', value: q.product ?? '', placeholder: t('stats.allProducts') })),
    h('button', { type: 'submit' }, t('stats.apply')),
    h('button', { type: 'button', onclick: () => window.print() }, t('stats.print')),
  );

  const cards = h(
    'div',
    { class: 'stat-cards', 'data-testid': 'stat-cards' },
    CARDS.map((key) => {
      const c = overview.cards.find((x) => x.key === key)!;
      return h('div', { class: 'stat-card', 'data-testid': `card-${key}` }, h('div', { class: 'stat-label' }, indicator(key)), h('div', { class: 'stat-value' }, valueText(key, c.value)), h('div', { class: 'stat-changes' }, changeBadge('yoy', c.yoy), changeBadge('mom', c.mom)));
    }),
  );
  const cur = overview.current;
  const now = h(
    'div',
    { class: 'stat-now', 'data-testid': 'stat-now' },
    [
      ['stats.now.approved', number(cur.entitiesApproved)],
      ['stats.now.pending', number(cur.entitiesPending)],
      ['stats.now.overdue', number(cur.reviewsOverdue)],
      ['stats.now.warningsOpen', number(cur.warningsOpen)],
      ['stats.now.casesOpen', number(cur.casesOpen)],
      ['stats.now.trading', percent(cur.coverage.tradingEntities)],
      ['stats.now.certified', percent(cur.coverage.certifiedLots)],
    ].map(([k, v]) => h('div', { class: 'stat-now-item' }, h('span', null, t(k as Key)), h('strong', null, v!))),
  );

  const box = (testid: string, title: string, exportQuery: Record<string, string | undefined>) => {
    const el = h('div', { class: 'chart', 'data-testid': testid });
    return { el, card: h('section', { class: 'card chart-card' }, h('div', { class: 'chart-head' }, h('h2', null, title), exportButton(exportQuery, `export-${testid}`)), el) };
  };
  const trendBox = box('chart-trend', t('stats.chart.trend'), { view: 'breakdown', by: 'month' });
  const regionBox = box('chart-regions', region.level >= 3 ? t('stats.chart.byTownship') : t('stats.chart.byRegion'), { view: 'breakdown', by: 'region', ...(region.level === 1 ? { level: 'county' } : {}) });
  const productBox = box('chart-products', t('stats.chart.byProduct'), { view: 'breakdown', by: 'product' });
  const gaugeBox = box('chart-pass-rate', t('stats.chart.passRate'), { view: 'overview' });
  const flowBox = box('flow-map', t('stats.chart.flows'), { view: 'flows', flowLevel: region.level >= 1 ? 'county' : 'province' });

  const flowTable = h(
    'table',
    { class: 'table', 'data-testid': 'flow-table' },
    h('thead', null, h('tr', null, [t('stats.flow.from'), t('stats.flow.to'), t('stats.flow.moves'), t('stats.flow.kg')].map((c) => h('th', null, c)))),
    h('tbody', null, flows.rows.slice(0, 20).map((r) => h('tr', null, h('td', null, r.fromName), h('td', null, r.toName), h('td', null, number(r.moves)), h('td', null, number(r.kg))))),
  );

  replace(
    root,
    h('nav', { class: 'breadcrumb', 'data-testid': 'stats-breadcrumb' }, crumbs.flatMap((c, i) => (i ? [' › ', c] : [c]))),
    h('h1', { 'data-testid': 'stats-title' }, `${t('stats.title')} · ${region.code ? region.name : t('stats.national')}`),
    h('p', { class: 'stats-range' }, t('stats.range', { from: overview.range.from, to: overview.range.to }), ' ', exportButton({ view: 'overview' }, 'export-overview')),
    form,
    cards,
    now,
    h('div', { class: 'chart-grid' }, trendBox.card, regionBox.card, productBox.card, gaugeBox.card),
    h('section', { class: 'card' }, h('div', { class: 'chart-head' }, h('h2', null, t('stats.chart.flows')), exportButton({ view: 'flows', flowLevel: region.level >= 1 ? 'county' : 'province' }, 'export-flows')), flowBox.el, flowTable),
    evaluationSection(q),
    originSection(scoped),
    uploadsSection(scoped),
    reportsSection(scoped),
  );

  const points = overview.trend.points;
  charts.push(
    chart(trendBox.el, {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 32, bottom: 28 },
      xAxis: { type: 'category', data: points.map((p) => p.period) },
      yAxis: { type: 'value' },
      series: TREND.map((k) => ({ name: indicator(k), type: 'line', smooth: true, data: points.map((p) => p.values[k] ?? 0) })),
    }),
  );
  const regionRows = regions.rows;
  charts.push(
    chart(
      regionBox.el,
      {
        tooltip: { trigger: 'axis' },
        grid: { left: 48, right: 16, top: 16, bottom: 60 },
        xAxis: { type: 'category', data: regionRows.map((r) => r.name.split(' ').pop()), axisLabel: { rotate: regionRows.length > 8 ? 40 : 0 } },
        yAxis: { type: 'value' },
        series: [{ name: indicator('lotsCreated'), type: 'bar', data: regionRows.map((r) => ({ value: r.values.lotsCreated ?? 0, code: r.key })) }],
      },
      // Drill down: a bar opens that region's dashboard.
      (name) => {
        const row = regionRows.find((r) => r.name.split(' ').pop() === name);
        if (row) go(hashHref('/statistics', { ...q, region: row.key }));
      },
    ),
  );
  charts.push(
    chart(productBox.el, {
      tooltip: { trigger: 'item' },
      legend: { type: 'scroll', bottom: 0 },
      series: [{ name: indicator('lotsCreated'), type: 'pie', radius: ['35%', '65%'], data: products.rows.map((r) => ({ name: r.name, value: r.values.lotsCreated ?? 0 })) }],
    }),
  );
  const passRate = overview.cards.find((c) => c.key === 'passRate')!.value;
  charts.push(
    chart(gaugeBox.el, {
      series: [{ type: 'gauge', min: 0, max: 100, progress: { show: true }, detail: { formatter: passRate === null ? '—' : '{value}%', fontSize: 22 }, data: [{ value: passRate === null ? 0 : Math.round(passRate * 1000) / 10, name: indicator('passRate') }] }],
    }),
  );
  map = flowMap(flowBox.el, flows, (kg) => t('stats.flow.kgLabel', { kg }));
  root.dataset.stats = 'drawn';
  return cleanup;
};

export type { Values };
