import { go } from '../../app/router';
import { t } from '../../i18n/i18n';
import { h } from '../../ui/dom';
import { normaliseTraceCode } from '../../ui/format';

/** Type a trace code → /t/{code}, the same page a label's QR opens. */
export function lookupForm(initial: string): HTMLElement {
  const input = h('input', {
    name: 'code',
    value: initial,
    placeholder: '110108-261117-XXXXX-0001-XXXX',
    autocomplete: 'off',
    autocapitalize: 'characters',
    spellcheck: 'false',
    inputmode: 'text',
    required: true,
    'aria-label': t('lookup.label'),
    'data-testid': 'code-input',
  });
  return h(
    'form',
    {
      class: 'lookup',
      onsubmit: (ev: SubmitEvent) => {
        ev.preventDefault();
        const code = normaliseTraceCode(input.value);
        if (code) go(`/t/${encodeURIComponent(code)}`);
      },
    },
    h('label', { class: 'lookup-label' }, t('lookup.label')),
    h('div', { class: 'lookup-row' }, input, h('button', { type: 'submit', 'data-testid': 'lookup-submit' }, t('lookup.submit'))),
  );
}
