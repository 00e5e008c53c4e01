import { ApiError, errorMessage, needsSignIn } from '../api/errors';
import { t } from '../i18n/i18n';
import { h, type Child } from './dom';

export const card = (title: Child, ...body: Child[]) => h('section', { class: 'card' }, title ? h('h2', null, title) : null, ...body);

/** A card that is the page itself (sign-in, an application form): its title is the page's one h1. */
export const pageCard = (title: Child, ...body: Child[]) => h('section', { class: 'card' }, h('h1', null, title), ...body);

export const badge = (text: string, tone: 'ok' | 'warn' | 'bad' | 'info' | 'muted' = 'info') => h('span', { class: `badge ${tone}` }, text);

export const alert = (tone: 'ok' | 'warn' | 'bad' | 'info', title: Child, ...body: Child[]) =>
  h('div', { class: `alert ${tone}`, role: tone === 'bad' ? 'alert' : 'status' }, h('strong', null, title), ...body.filter((b) => b !== null && b !== undefined && b !== false && b !== '').map((b) => h('div', null, b)));

export const empty = (text: string) => h('p', { class: 'empty' }, text);

export const loading = () => h('p', { class: 'loading', 'aria-busy': 'true' }, t('common.loading'));

/** Definition list of label → value rows; rows with no value are left out. */
export function facts(rows: [string, Child][]): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    rows.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => [h('dt', null, k), h('dd', null, v)]),
  );
}

/**
 * The one error box of the app: an API failure by its code in the user's language (api/errors.ts), the
 * field it names, and a sign-in link when the session is over — never the server's own text.
 */
export function errorView(err: unknown): HTMLElement {
  const { title, field } = errorMessage(err);
  const tone = err instanceof ApiError && (err.status === 401 || err.status === 404) ? 'warn' : 'bad';
  const signIn = needsSignIn(err) ? h('a', { href: `#/login?next=${encodeURIComponent(location.hash || '#/')}` }, t('nav.signIn')) : null;
  const box = alert(tone, title, field ? t('error.field', { field }) : null, signIn);
  box.dataset.testid = 'error';
  if (err instanceof ApiError) box.dataset.code = err.code;
  return box;
}

/** Previous / page x of y / next. */
export function pager(page: number, size: number, total: number, hrefOf: (page: number) => string): HTMLElement | null {
  const pages = Math.max(1, Math.ceil(total / size));
  if (pages <= 1) return null;
  return h(
    'nav',
    { class: 'pager', 'aria-label': t('common.pages') },
    page > 1 ? h('a', { href: hrefOf(page - 1), rel: 'prev' }, `‹ ${t('common.prev')}`) : h('span', { class: 'disabled' }, `‹ ${t('common.prev')}`),
    h('span', { class: 'page-of' }, t('common.pageOf', { page, pages })),
    page < pages ? h('a', { href: hrefOf(page + 1), rel: 'next' }, `${t('common.next')} ›`) : h('span', { class: 'disabled' }, `${t('common.next')} ›`),
  );
}

export function field(labelText: string, input: HTMLElement, hint?: string): HTMLElement {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, labelText), input, hint ? h('small', null, hint) : null);
}

/** Runs an async action from a button or form, disabling it meanwhile and showing the outcome in `out`. */
export async function busy<T>(button: HTMLButtonElement | null, out: HTMLElement, action: () => Promise<T>): Promise<T | undefined> {
  if (button) button.disabled = true;
  out.replaceChildren(loading());
  try {
    const result = await action();
    out.replaceChildren();
    return result;
  } catch (err) {
    out.replaceChildren(errorView(err));
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}
