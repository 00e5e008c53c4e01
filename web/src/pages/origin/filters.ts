import { t, label } from '../../i18n/i18n';
import { h } from '../../ui/dom';
import { regionPicker } from '../../ui/region-picker';
import type { KeyProduct, OriginQuery } from './origin-api';

/** The filters of 一张图 / 一张表, as the records API takes them (GET records, points, export share them). */
export const FILTER_KEYS = ['product', 'region', 'township', 'minScale', 'maxScale', 'from', 'to', 'certification', 'traceMethod', 'reviewState', 'inScope'] as const;
const CERTIFICATIONS = ['green', 'organic', 'geo-indication', 'other'];
const TRACE_METHODS = ['compliance-certificate', 'trace-code', 'ear-tag', 'quarantine-certificate', 'package-label', 'other'];
const REVIEW_STATES = ['pending', 'approved', 'returned'];

export function filtersFrom(query: URLSearchParams): OriginQuery {
  const out: OriginQuery = {};
  for (const k of FILTER_KEYS) {
    const v = query.get(k);
    if (v) out[k] = v;
  }
  return out;
}

/** What the API is asked: a township code (9 digits) narrows the region below the county picker. */
export function apiQuery(f: OriginQuery): OriginQuery {
  const { township, ...rest } = f;
  // A day's end for `to` (the API compares recorded times, which run past the date itself).
  if (rest.to && /^\d{4}-\d{2}-\d{2}$/.test(rest.to)) rest.to = `${rest.to}T23:59:59.999Z`;
  return township && /^\d{9}$/.test(township) ? { ...rest, region: township } : rest;
}

/** The filter form; `onChange` gets the whole filter set after every change. */
export function filterForm(state: OriginQuery, products: KeyProduct[], onChange: (f: OriginQuery) => void): HTMLElement {
  const set = (k: string, v: string) => {
    if (v) state[k] = v;
    else delete state[k];
    onChange({ ...state });
  };
  const select = (k: string, values: string[], group: string, all: string) =>
    h(
      'select',
      { 'data-testid': `origin-filter-${k}`, 'aria-label': t(`origin.filter.${k}` as never), onchange: (ev: Event) => set(k, (ev.target as HTMLSelectElement).value) },
      h('option', { value: '' }, all),
      values.map((v) => h('option', { value: v, selected: state[k] === v }, group === 'product' ? (products.find((p) => p.code === v)?.name ?? v) : label(group, v))),
    );
  const input = (k: string, type: string, placeholder = '') =>
    h('input', { type, value: state[k] ?? '', placeholder, 'data-testid': `origin-filter-${k}`, 'aria-label': t(`origin.filter.${k}` as never), onchange: (ev: Event) => set(k, (ev.target as HTMLInputElement).value.trim()) });
  const row = (k: string, control: HTMLElement) => h('label', { class: 'field' }, h('span', { class: 'field-label' }, t(`origin.filter.${k}` as never)), control);
  return h(
    'div',
    { class: 'origin-filters', 'data-testid': 'origin-filters' },
    row('product', select('product', products.map((p) => p.code), 'product', t('filter.allProducts'))),
    h('div', { class: 'field' }, h('span', { class: 'field-label' }, t('filter.region')), regionPicker(state.region ?? '', (r) => set('region', r))),
    row('township', input('township', 'text', '469027100')),
    h('div', { class: 'field-pair' }, row('minScale', input('minScale', 'number')), row('maxScale', input('maxScale', 'number'))),
    h('div', { class: 'field-pair' }, row('from', input('from', 'date')), row('to', input('to', 'date'))),
    row('certification', select('certification', CERTIFICATIONS, 'originCert', t('origin.all'))),
    row('traceMethod', select('traceMethod', TRACE_METHODS, 'originTrace', t('origin.all'))),
    row('reviewState', select('reviewState', REVIEW_STATES, 'originReview', t('origin.all'))),
    row('inScope', select('inScope', ['true', 'false'], 'originScope', t('origin.all'))),
  );
}
