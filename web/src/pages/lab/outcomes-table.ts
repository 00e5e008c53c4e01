import { t } from '../../i18n/i18n';
import { h } from '../../ui/dom';
import { verdictBadge } from './lab-labels';
import { limitText } from './model-view';
import type { AnalyteOutcome } from './verdict-preview';

/** A recorded result, analyte by analyte: what was measured, the limit, the verdict (lab and enforcement pages). */
export function outcomesTable(outcomes: AnalyteOutcome[]): HTMLElement {
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'table', 'data-testid': 'sample-outcomes' },
      h('thead', null, h('tr', null, [t('lab.analyte'), t('lab.measured'), t('lab.limit'), t('lab.verdict')].map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        null,
        outcomes.map((o) =>
          h(
            'tr',
            { class: o.verdict },
            h('th', { scope: 'row' }, o.name),
            h('td', null, o.measurement.kind === 'value' ? `${o.measurement.value} ${o.measurement.unit}` : t('lab.notDetected')),
            h('td', null, limitText(o.limit)),
            h('td', null, verdictBadge(o.verdict)),
          ),
        ),
      ),
    ),
  );
}
