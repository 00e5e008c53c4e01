import { t, type Key } from '../i18n/i18n';
import { zh } from '../i18n/zh';

/** The API's error body {error, message, details} with its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** What the user reads about a failure: a title in their language and, when the API names one, the field. */
export interface ErrorMessage {
  title: string;
  field: string | null;
}

/**
 * An API refusal said in the user's language, from its stable `error` code (`errorCode.*` in both
 * dictionaries; tests/unit/web/error-messages.spec.ts fails when a server code has none) and the field it
 * names — never the server's own text, which is English and written for developers.
 */
export function errorMessage(err: unknown): ErrorMessage {
  if (!(err instanceof ApiError)) return { title: t('error.network'), field: null };
  const byCode = `errorCode.${err.code}` as Key;
  const title = byCode in zh ? t(byCode) : byStatus(err.status);
  const field = typeof err.details.field === 'string' ? fieldLabel(err.details.field) : null;
  return { title, field };
}

/** A code this app does not know yet (a newer server, a proxy's own error page): said by its status. */
function byStatus(status: number): string {
  if (status === 401) return t('error.signIn');
  if (status === 403) return t('error.forbidden');
  if (status === 404) return t('error.notFound');
  return t('error.failed', { status });
}

/**
 * `lots[0].recovered.amount` → the form's own label ("已追回") with the path as sent, else the path alone.
 * The innermost segment that has a `field.*` label wins (`quantity.amount` → 数量).
 */
export function fieldLabel(path: string): string {
  const segments = path.split(/[.[\]]+/).filter((s) => s && !/^\d+$/.test(s));
  for (const segment of segments.reverse()) {
    const key = `field.${segment}` as Key;
    if (key in zh) return `${t(key)} (${path})`;
  }
  return path;
}

/** A 401 that means "your session is over" (not a wrong password on the sign-in form): offer to sign in. */
export function needsSignIn(err: unknown): boolean {
  return err instanceof ApiError && err.status === 401 && err.code !== 'BAD_CREDENTIALS';
}
