import { t } from '../../i18n/i18n';
import { empty } from '../../ui/components';
import { h } from '../../ui/dom';
import { flatten, pathLabel } from './readable';

/** What changed between two folded states: every field whose readable value differs, before → after. */
export function stateDiff(before: unknown, after: unknown, kind: string): { path: string; before: string; after: string }[] {
  const a = flatten(before, kind);
  const b = flatten(after, kind);
  const paths = [...new Set([...a.keys(), ...b.keys()])];
  return paths.filter((p) => (a.get(p) ?? '—') !== (b.get(p) ?? '—')).map((p) => ({ path: p, before: a.get(p) ?? '—', after: b.get(p) ?? '—' }));
}

export function diffView(before: unknown, after: unknown, kind: string): HTMLElement {
  const rows = stateDiff(before, after, kind);
  if (rows.length === 0) return empty(t('audit.diffNone'));
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'table diff-table', 'data-testid': 'diff-table' },
      h('thead', null, h('tr', null, [t('audit.diffField'), t('audit.diffBefore'), t('audit.diffAfter')].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, rows.map((r) => h('tr', { 'data-path': r.path }, h('td', null, pathLabel(r.path)), h('td', { class: 'before' }, r.before), h('td', { class: 'after' }, r.after)))),
    ),
  );
}
