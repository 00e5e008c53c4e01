import { get } from '../../api/client';
import { regionLabel, regionNames } from '../../api/regions';
import type { SearchHit, SearchResult } from '../../api/types';
import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { go, hashHref } from '../../app/router';
import { label, t, type Key } from '../../i18n/i18n';
import { badge, empty, errorView, pager } from '../../ui/components';
import { formValues, h, replace } from '../../ui/dom';
import { date, groupTraceCode, number, quantity } from '../../ui/format';

const FILTERS = ['q', 'kind', 'region', 'product', 'type', 'from', 'to'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;
const SIZE = 20;

/** 跨省检索: free text (Chinese-aware) with facets — kind, province/city/county, product, type — dates and paging. */
export const searchPage: Page = async (root, route) => {
  setTitle(t('search.title'));
  const filters: Filters = {};
  for (const f of FILTERS) {
    const v = route.query.get(f);
    if (v) filters[f] = v;
  }
  const page = Math.max(1, Number(route.query.get('page') ?? 1) || 1);
  const hrefWith = (changes: Filters & { page?: number }) => hashHref('/supervisor/search', { ...filters, page: undefined, ...changes });

  const form: HTMLFormElement = h(
    'form',
    {
      class: 'search-form',
      role: 'search',
      onsubmit: (ev: SubmitEvent) => {
        ev.preventDefault();
        const v = formValues(form);
        go(hrefWith({ q: v.q, from: v.from, to: v.to }));
      },
    },
    h('input', { name: 'q', type: 'search', value: filters.q ?? '', placeholder: t('search.placeholder'), 'aria-label': t('search.title'), 'data-testid': 'search-q' }),
    h('label', { class: 'inline' }, t('filter.from'), h('input', { name: 'from', type: 'date', value: filters.from ?? '', 'data-testid': 'search-from' })),
    h('label', { class: 'inline' }, t('filter.to'), h('input', { name: 'to', type: 'date', value: filters.to ?? '', 'data-testid': 'search-to' })),
    h('button', { type: 'submit', 'data-testid': 'search-submit' }, t('search.submit')),
  );
  const results = h('div', { class: 'results', 'data-testid': 'search-results' });
  const facetsEl = h('aside', { class: 'facets', 'data-testid': 'facets' });
  replace(root, h('h1', null, t('search.title')), form, h('div', { class: 'search-layout' }, facetsEl, results));

  let result: SearchResult;
  try {
    result = await get<SearchResult>('/api/v1/search', { ...filters, page, size: SIZE, facets: 'kind,province,city,county,product,type' });
  } catch (err) {
    replace(results, errorView(err));
    return;
  }
  const regionCodes = ['province', 'city', 'county'].flatMap((f) => (result.facets[f] ?? []).map((x) => x.value));
  await regionNames([...regionCodes, ...(filters.region ? [filters.region] : []), ...result.hits.map((x) => x.regionCode)]).catch(() => undefined);

  const active = FILTERS.filter((f) => f !== 'q' && filters[f]).map((f) =>
    h(
      'a',
      { class: 'chip', href: hrefWith({ [f]: undefined }), 'data-testid': `chip-${f}`, title: t('search.removeFilter') },
      `${t(`filter.${f}` as Key)}: ${f === 'region' ? regionLabel(filters[f]!) : f === 'kind' || f === 'type' ? label(f, filters[f]!) : filters[f]} ×`,
    ),
  );

  const facetGroup = (name: string, title: string, valueLabel: (v: string) => string, param: keyof Filters) => {
    const values = result.facets[name] ?? [];
    if (!values.length) return null;
    return h(
      'section',
      { class: 'facet', 'data-facet': name },
      h('h2', null, title),
      h(
        'ul',
        null,
        values.map((v) =>
          h(
            'li',
            null,
            h('a', { href: hrefWith({ [param]: v.value }), class: filters[param] === v.value ? 'active' : null, 'data-testid': `facet-${name}-${v.value}` }, valueLabel(v.value)),
            h('span', { class: 'count' }, number(v.count)),
          ),
        ),
      ),
    );
  };
  replace(
    facetsEl,
    facetGroup('kind', t('filter.kind'), (v) => label('kind', v), 'kind'),
    facetGroup('province', t('region.province'), regionLabel, 'region'),
    filters.region ? facetGroup('city', t('region.city'), regionLabel, 'region') : null,
    filters.region && filters.region.length >= 4 ? facetGroup('county', t('region.county'), regionLabel, 'region') : null,
    facetGroup('product', t('filter.product'), (v) => v, 'product'),
    facetGroup('type', t('filter.type'), (v) => label('type', v), 'type'),
  );
  replace(
    results,
    h('p', { class: 'counts', 'data-testid': 'search-total' }, t('search.total', { total: number(result.total) }), ' ', active),
    result.hits.length ? h('ol', { class: 'hits', start: (page - 1) * SIZE + 1 }, result.hits.map(hitView)) : empty(t('search.none')),
    pager(page, SIZE, result.total, (p) => hrefWith({ page: p })),
  );
};

function hitView(hit: SearchHit): HTMLElement {
  const p = hit.payload;
  const entityHref = `#/entities/${encodeURIComponent(String(p.entityId ?? ''))}`;
  const href = hit.kind === 'lot' ? `#/lots/${encodeURIComponent(String(p.traceCode))}` : entityHref;
  const details: (string | HTMLElement)[] = [regionLabelFull(hit.regionCode)];
  if (hit.kind === 'lot') {
    details.push(quantity(p.quantity as { amount: number; unit: string }), String(p.holder ?? ''), `${t('lot.produced')} ${date(String(p.productionDate ?? ''))}`);
  } else if (hit.kind === 'base') {
    details.push(String(p.entityName ?? ''), ((p.products as string[]) ?? []).join('、'));
  } else {
    details.push(label('entityStatus', String(p.status ?? '')), ((p.products as string[]) ?? []).join('、'));
  }
  return h(
    'li',
    { class: `hit ${hit.kind}`, 'data-testid': 'hit' },
    h('div', { class: 'hit-head' }, badge(label('kind', hit.kind), 'muted'), ' ', h('a', { href }, hit.title), hit.type ? h('span', { class: 'muted' }, ` · ${label('type', hit.type)}`) : null),
    h('p', { class: 'muted' }, details.filter(Boolean).join(' · ')),
    hit.kind === 'lot'
      ? h('p', { class: 'hit-links' }, h('span', { class: 'code small' }, groupTraceCode(String(p.traceCode))), ' ', h('a', { href: hashHref('/supervisor', { flow: String(p.traceCode) }) }, t('lot.showFlow')))
      : null,
  );
}

const regionLabelFull = (code: string) => regionLabel(code, true);
