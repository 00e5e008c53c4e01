import { h, type Child } from '../../ui/dom';
import { fieldLabel, isQuantity, scalarText } from './readable';
import { quantity } from '../../ui/format';
import { t } from '../../i18n/i18n';

/** Names for ids met in a state (entity ids → names), filled in by the page as it resolves them. */
export type Names = Map<string, string>;

const ID_KEYS = new Set(['entityId', 'fromEntityId', 'toEntityId', 'holderId', 'ownerId', 'orgId']);

/**
 * A folded aggregate state as a readable definition list: labelled fields, formatted times, quantities with
 * units, nested records as nested lists, ids with the names they stand for. `data-key` keeps each top field
 * findable (tests, deep links).
 */
export function stateView(state: unknown, kind: string, names: Names = new Map(), testId = 'asof-state'): HTMLElement {
  if (state === null || typeof state !== 'object') return h('p', { class: 'muted' }, scalarText('', state, kind));
  return h(
    'dl',
    { class: 'facts state', 'data-testid': testId },
    Object.entries(state as Record<string, unknown>).map(([k, v]) => [h('dt', null, fieldLabel(k)), h('dd', { 'data-key': k }, valueView(k, v, kind, names))]),
  );
}

function valueView(key: string, v: unknown, kind: string, names: Names): Child {
  if (isQuantity(v)) return quantity(v);
  if (typeof v === 'string' && ID_KEYS.has(key) && names.has(v)) return [names.get(v)!, ' ', h('small', { class: 'muted' }, v)];
  if (Array.isArray(v)) {
    if (v.length === 0) return '—';
    if (v.every((x) => typeof x !== 'object' || x === null)) return v.map((x) => scalarText(key, x, kind)).join('、');
    return h('ol', { class: 'plain-list' }, v.map((x) => h('li', null, valueView('', x, kind, names))));
  }
  if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) return t('audit.none');
    return h('dl', { class: 'facts nested' }, entries.map(([k, x]) => [h('dt', null, fieldLabel(k)), h('dd', null, valueView(k, x, kind, names))]));
  }
  return scalarText(key, v, kind);
}
