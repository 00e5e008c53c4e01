import { h } from '../../ui/dom';

/** A folded aggregate state as rows: scalars as text, quantities as "500 kg", anything deeper as compact JSON. */
export function stateView(state: unknown): HTMLElement {
  if (state === null || typeof state !== 'object') return h('pre', { class: 'json' }, JSON.stringify(state, null, 2));
  return h(
    'dl',
    { class: 'facts state', 'data-testid': 'asof-state' },
    Object.entries(state as Record<string, unknown>).map(([k, v]) => [h('dt', null, k), h('dd', { 'data-key': k }, valueText(v))]),
  );
}

function valueText(v: unknown): string | HTMLElement {
  if (v === null || v === undefined) return '—';
  if (typeof v !== 'object') return String(v);
  const q = v as { amount?: unknown; unit?: unknown };
  if (typeof q.amount === 'number' && typeof q.unit === 'string' && Object.keys(v).length === 2) return `${q.amount} ${q.unit}`;
  if (Array.isArray(v) && v.length === 0) return '[]';
  if (!Array.isArray(v) && Object.keys(v).length === 0) return '{}';
  return h('code', { class: 'json-inline' }, JSON.stringify(v));
}
