import { label, t } from '../../i18n/i18n';
import { badge } from '../../ui/components';
import type { Verdict } from './verdict-preview';

/** How loud each verdict is: 合格 green, 不合格 red, 无法判定 amber. */
export const verdictBadge = (verdict: Verdict | null | undefined) =>
  verdict ? badge(t(`verdict.${verdict}`), verdict === 'pass' ? 'ok' : verdict === 'fail' ? 'bad' : 'warn') : badge(t('verdict.unknown'), 'muted');

export const sampleStatus = (status: string) => badge(label('sampleStatus', status), status === 'taken' || status === 'retest-requested' ? 'info' : 'muted');

/** A datetime-local input's value (local time, minutes) for an instant, and back. */
export const localInputValue = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
export const instantOf = (localValue: string) => new Date(localValue).toISOString();
