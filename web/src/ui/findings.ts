import type { Finding } from '../api/types';
import { label, t } from '../i18n/i18n';
import { badge } from './components';
import { h } from './dom';
import { dateTime, groupTraceCode } from './format';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : typeof v === 'number' ? String(v) : undefined);
/** A field by name or dotted path ('rule.name'). */
const at = (f: Finding, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Finding)[k] : undefined), f);
export const pick = (f: Finding, ...keys: string[]) => keys.map((k) => str(at(f, k))).find((v) => v !== undefined);

/** Warning levels of the four-colour scheme (domain/risk/levels.ts) and how loud each is shown. */
export const levelTone = (level: string | undefined): 'bad' | 'warn' | 'info' => (level === 'yellow' || level === 'orange' ? 'warn' : level === 'blue' ? 'info' : 'bad');

/** pass / fail / inconclusive (domain/sampling/verdict.ts) / unknown, from whichever field the quality features use. */
export function verdictOf(f: Finding): 'pass' | 'fail' | 'inconclusive' | 'unknown' {
  const v = (pick(f, 'verdict', 'result', 'outcome', 'conclusion') ?? '').toLowerCase();
  if (f.pass === true || f.passed === true || ['pass', 'passed', 'qualified', 'ok', 'compliant', '合格'].includes(v)) return 'pass';
  if (f.pass === false || f.passed === false || ['fail', 'failed', 'unqualified', 'noncompliant', 'non-compliant', '不合格'].includes(v)) return 'fail';
  if (v === 'inconclusive') return 'inconclusive';
  return 'unknown';
}

/**
 * One lab verdict or risk warning as a readable row. The quality/risk features are being built alongside this
 * app, so the renderer reads the fields it knows (title, level, verdict, date, analytes) and shows the rest raw.
 */
export function findingView(f: Finding, kind: 'verdict' | 'warning'): HTMLElement {
  const indicator = pick(f, 'indicator', 'rule.indicator');
  const round = pick(f, 'round');
  const title =
    kind === 'verdict'
      ? `${t('finding.test')}${round ? ` · ${label('round', round)}` : ''}`
      : (indicator && label('indicator', indicator) !== indicator ? label('indicator', indicator) : undefined) ??
        pick(f, 'title', 'rule.name', 'ruleName', 'label', 'type', 'kind') ??
        t('finding.warning');
  const when = pick(f, 'testedAt', 'decidedAt', 'since', 'raisedAt', 'recordedAt', 'issuedAt', 'createdAt', 'at');
  // A verdict inherited from the lot this one came from (a warning's reason already says so in words).
  const upstream = kind === 'verdict' && f.inherited === true ? pick(f, 'sampledTraceCode') : undefined;
  const message = pick(f, 'message', 'reason', 'description', 'summary', 'detail');
  const who = pick(f, 'labName', 'lab', 'issuer', 'org');
  const level = pick(f, 'level', 'rule.level', 'severity');
  const verdict = verdictOf(f);
  const list = [f.failed, f.results, f.analytes].find(Array.isArray);
  const analytes = (list as Finding[] | undefined) ?? [];
  return h(
    'li',
    { class: `finding ${kind} ${verdict}`, 'data-testid': kind },
    h(
      'div',
      { class: 'finding-head' },
      kind === 'verdict'
        ? badge(t(`verdict.${verdict}`), verdict === 'pass' ? 'ok' : verdict === 'fail' ? 'bad' : verdict === 'inconclusive' ? 'warn' : 'muted')
        : badge(level ? label('warningLevel', level) : t('finding.warning'), levelTone(level)),
      h('strong', null, title),
    ),
    message ? h('p', null, message) : null,
    upstream ? h('p', { class: 'muted' }, t('finding.upstream', { code: groupTraceCode(upstream) })) : null,
    analytes.length
      ? h(
          'table',
          { class: 'analytes' },
          h('thead', null, h('tr', null, h('th', null, t('finding.analyte')), h('th', null, t('finding.value')), h('th', null, t('finding.limit')), h('th', null, h('span', { class: 'visually-hidden' }, t('finding.verdict'))))),
          h(
            'tbody',
            null,
            analytes.map((a) =>
              h(
                'tr',
                null,
                h('td', null, pick(a, 'name', 'analyteName', 'analyte', 'code') ?? '—'),
                h('td', null, [pick(a, 'value', 'measured', 'measurement.value'), pick(a, 'unit', 'measurement.unit')].filter(Boolean).join(' ') || '—'),
                h('td', null, limitText(a)),
                h('td', null, verdictOf(a) === 'unknown' ? (list === f.failed ? t('verdict.fail') : '') : t(`verdict.${verdictOf(a)}`)),
              ),
            ),
          ),
        )
      : null,
    h('small', { class: 'muted' }, [who, when ? dateTime(when) : undefined].filter(Boolean).join(' · ')),
  );
}

/**
 * A limit with its unit, the unit once: the sampling side writes the limit as text that already carries it
 * (`≤ 0.01 mg/kg`), other sources as a number with a separate unit.
 */
export function limitText(a: Finding): string {
  const limit = pick(a, 'limit', 'limit.value', 'maxLimit', 'mrl');
  const unit = pick(a, 'limitUnit', 'limit.unit', 'unit');
  if (!limit) return '—';
  return unit && !limit.includes(unit) ? `${limit} ${unit}` : limit;
}
