import { t } from '../../i18n/i18n';
import { empty, facts } from '../../ui/components';
import { h } from '../../ui/dom';
import type { MonitoringTask } from './lab-api';
import type { AnalyteSpec } from './verdict-preview';

/** "≤ 0.01 mg/kg" or 不得检出: a limit as GB 2763 states it. */
export function limitText(limit: AnalyteSpec['limit']): string {
  return limit.kind === 'max' ? `≤ ${limit.value} ${limit.unit}` : t('lab.notDetectedLimit');
}

/** 监测模型: the products tested, the standard, and each analyte with its limit, detection limit and method. */
export function modelView(task: MonitoringTask): HTMLElement {
  const model = task.model;
  if (!model) return empty(t('lab.noModel'));
  return h(
    'div',
    { 'data-testid': 'task-model' },
    facts([
      [t('lab.products'), model.products.join('、')],
      [t('lab.standard'), model.standard],
    ]),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'table' },
        h('thead', null, h('tr', null, [t('lab.analyte'), t('lab.limit'), t('lab.lod'), t('lab.method')].map((c) => h('th', { scope: 'col' }, c)))),
        h(
          'tbody',
          null,
          model.analytes.map((a) =>
            h(
              'tr',
              { 'data-testid': 'model-analyte' },
              h('td', null, a.name, h('br'), h('small', { class: 'muted code' }, a.code)),
              h('td', null, limitText(a.limit)),
              h('td', null, a.lod ? `${a.lod.value} ${a.lod.unit}` : '—'),
              h('td', null, a.method ?? '—'),
            ),
          ),
        ),
      ),
    ),
  );
}
