import { label, t, type Key } from '../../i18n/i18n';
import { date, number, preciseTime, quantity } from '../../ui/format';

/*
 * How an aggregate's folded state reads to an auditor: a Chinese (or English) label per field, times in the
 * reader's locale to the millisecond, quantities with their unit, code values by name. The state comes from
 * the server's deciders (domain/*), so unknown fields still show — by their key, with a plain value.
 */

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The label of a state field (`audit.field.{key}`), the key itself when the dictionary has none. */
export function fieldLabel(key: string): string {
  const k = `audit.field.${key}` as Key;
  const text = t(k);
  return text === k ? key : text;
}

export const isQuantity = (v: unknown): v is { amount: number; unit: string } =>
  typeof v === 'object' && v !== null && typeof (v as { amount?: unknown }).amount === 'number' && typeof (v as { unit?: unknown }).unit === 'string';

/** Which label group names a code value of this field (status of a lot, a role …). */
const VALUE_GROUPS: Record<string, (stateKind: string) => string> = {
  status: (kind) => `${kind}Status`,
  role: () => 'role',
  entityType: () => 'entityType',
  unit: () => 'unit',
};

/** One scalar as text. `kind` is the stream's kind (lot, entity, transfer …) for status names. */
export function scalarText(key: string, v: unknown, kind: string): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? t('audit.yes') : t('audit.no');
  if (typeof v === 'number') return number(v);
  if (typeof v !== 'string') return JSON.stringify(v);
  if (ISO_INSTANT.test(v)) return preciseTime(v);
  if (ISO_DATE.test(v)) return date(v);
  const group = VALUE_GROUPS[key];
  return group ? label(group(kind), v) : v;
}

/**
 * The state flattened to `path → text` (nested records by dotted path, lists joined), the common ground of
 * the readable view and the diff between two moments.
 */
export function flatten(state: unknown, kind: string, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (v: unknown, path: string, key: string) => {
    if (isQuantity(v)) out.set(path, quantity(v));
    else if (Array.isArray(v)) out.set(path, v.length === 0 ? '—' : v.every((x) => typeof x !== 'object' || x === null) ? v.map((x) => scalarText(key, x, kind)).join('、') : '');
    else if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v as Record<string, unknown>);
      if (entries.length === 0) out.set(path, '—');
      for (const [k, x] of entries) visit(x, path ? `${path}.${k}` : k, k);
    } else out.set(path, scalarText(key, v, kind));
    if (Array.isArray(v)) v.forEach((x, i) => typeof x === 'object' && x !== null && visit(x, `${path}.${i + 1}`, String(i + 1)));
  };
  if (typeof state === 'object' && state !== null) for (const [k, v] of Object.entries(state as Record<string, unknown>)) visit(v, prefix ? `${prefix}.${k}` : k, k);
  // Lists of records were set to '' above as a heading only; drop those, their items carry the content.
  for (const [k, v] of out) if (v === '') out.delete(k);
  return out;
}

/** A dotted path as labels: `base.regionCode` → 基地 › 行政区划. Record keys (ids) stay as they are. */
export function pathLabel(path: string): string {
  return path
    .split('.')
    .map((part) => fieldLabel(part))
    .join(' › ');
}

/** lot-4690… → lot; entity-… → entity: the label group of status values. */
export const streamKind = (streamId: string) => streamId.split('-', 1)[0] ?? '';
