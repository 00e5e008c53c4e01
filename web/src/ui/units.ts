import { label } from '../i18n/i18n';
import { h } from './dom';

/** The API's units (domain/shared/quantity.ts): mass units convert among themselves, count units stand alone. */
export const UNITS = ['kg', 'jin', 't', 'g', 'head', 'box', 'crate', 'piece'] as const;

export function unitSelect(name: string, selected = 'kg', only?: string): HTMLSelectElement {
  const mass = ['kg', 'jin', 't', 'g'];
  const allowed = only ? (mass.includes(only) ? mass : [only]) : [...UNITS];
  return h('select', { name, 'data-testid': `${name}-unit` }, allowed.map((u) => h('option', { value: u, selected: u === selected }, label('unit', u))));
}
