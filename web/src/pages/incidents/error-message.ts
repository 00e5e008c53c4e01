import { ApiError } from '../../api/errors';
import { t, type Key } from '../../i18n/i18n';
import { zh } from '../../i18n/zh';
import { alert } from '../../ui/components';
import { h } from '../../ui/dom';

/**
 * An API refusal said in the user's language, from its stable `error` code (errorCode.* in the dictionaries)
 * and the field it names — never the server's own text, which is English and written for developers.
 */
export function messageOf(err: unknown): { title: string; body: string | null } {
  if (!(err instanceof ApiError)) return { title: t('error.network'), body: null };
  if (err.status === 401) return { title: t('error.signIn'), body: null };
  const field = typeof err.details.field === 'string' ? err.details.field : null;
  const byCode = `errorCode.${err.code}` as Key;
  const title = byCode in zh ? t(byCode) : err.status === 403 ? t('error.forbidden') : err.status === 404 ? t('error.notFound') : t('error.failed', { status: err.status });
  return { title, body: field ? t('error.field', { field: fieldLabel(field) }) : null };
}

/** `lots[0].recovered.amount` → the form's own label where there is one ("已追回"), else the path as sent. */
function fieldLabel(path: string): string {
  const last = /(recovered|destroyed|soldToConsumers|opinion|reason|description|summary|cause|measures|outcome|title|body|level|recallDeadline)/.exec(path)?.[1];
  const key = `field.${last}` as Key;
  return last && key in zh ? `${t(key)} (${path})` : path;
}

export function errorBox(err: unknown): HTMLElement {
  const { title, body } = messageOf(err);
  const box = alert('bad', title, body);
  box.dataset.testid = 'error';
  if (err instanceof ApiError) box.dataset.code = err.code;
  return box;
}

/** Runs a form's command, disabling the button meanwhile; a refusal is shown in `out` by its code. */
export async function submitting<T>(button: HTMLButtonElement, out: HTMLElement, action: () => Promise<T>): Promise<T | undefined> {
  button.disabled = true;
  out.replaceChildren(h('p', { class: 'loading', 'aria-busy': 'true' }, t('common.loading')));
  try {
    const result = await action();
    out.replaceChildren();
    return result;
  } catch (err) {
    out.replaceChildren(errorBox(err));
    return undefined;
  } finally {
    button.disabled = false;
  }
}
