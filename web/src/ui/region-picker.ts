import { regionChildren } from '../api/regions';
import { t } from '../i18n/i18n';
import { h } from './dom';

/**
 * Province → city → county, each list loaded when its parent is chosen. Reports the most specific choice as a
 * region prefix ('' = all, '46', '4602', '460204'), which is what the search API's `region` filter takes.
 */
export function regionPicker(initial: string, onChange: (prefix: string) => void, options: { countyOnly?: boolean; name?: string } = {}): HTMLElement {
  const selects = [0, 1, 2].map((level) =>
    h('select', { 'data-testid': `region-${['province', 'city', 'county'][level]}`, 'aria-label': t(`region.${(['province', 'city', 'county'] as const)[level]}`), disabled: level > 0 }),
  );
  const hidden = options.name ? h('input', { type: 'hidden', name: options.name, value: initial }) : null;
  const current = () => selects.map((s) => s.value).filter(Boolean).pop() ?? '';

  async function fill(level: number, parent: string, selected: string): Promise<void> {
    const select = selects[level]!;
    const placeholder = h('option', { value: '' }, level === 0 ? t('region.allProvinces') : level === 1 ? t('region.allCities') : t('region.allCounties'));
    if (level > 0 && !parent) {
      select.replaceChildren(placeholder);
      select.disabled = true;
      return;
    }
    const items = await regionChildren(parent);
    select.replaceChildren(placeholder, ...items.map((r) => h('option', { value: r.code, selected: r.code === selected }, r.name)));
    select.disabled = items.length === 0;
  }

  selects.forEach((select, level) =>
    select.addEventListener('change', async () => {
      for (let l = level + 1; l < 3; l++) await fill(l, l === level + 1 ? select.value : '', '');
      const prefix = current();
      if (hidden) hidden.value = prefix;
      onChange(prefix);
    }),
  );

  void (async () => {
    await fill(0, '', initial.slice(0, 2));
    await fill(1, initial.length >= 2 ? initial.slice(0, 2) : '', initial.slice(0, 4));
    await fill(2, initial.length >= 4 ? initial.slice(0, 4) : '', initial.length === 6 ? initial : '');
  })();

  return h('div', { class: `region-picker${options.countyOnly ? ' county-only' : ''}` }, selects, hidden);
}
