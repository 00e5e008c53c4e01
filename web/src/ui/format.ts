import { label, locale } from '../i18n/i18n';

/** The grouped form printed on labels: RRRRRR-YYMMDD-EEEEE-SSSS-CCCC. */
export function groupTraceCode(code: string): string {
  const c = code.replace(/[-\s]/g, '').toUpperCase();
  if (c.length !== 25) return c;
  return [c.slice(0, 6), c.slice(6, 12), c.slice(12, 17), c.slice(17, 21), c.slice(21)].join('-');
}

/** The forgiving input rules of the API (hyphens, spaces, case), so a typed code becomes a URL. */
export function normaliseTraceCode(input: string): string {
  return input.replace(/[-\s]/g, '').toUpperCase();
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** Seconds and milliseconds matter to an auditor (events a few ms apart). */
export function preciseTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const base = new Intl.DateTimeFormat(locale(), { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(d);
  return `${base}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

export function date(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium' }).format(d);
}

export function quantity(q: { amount: number; unit?: string } | null | undefined, unit?: string): string {
  if (!q) return '—';
  const u = q.unit ?? unit;
  return `${new Intl.NumberFormat(locale()).format(q.amount)} ${u ? label('unit', u) : ''}`.trim();
}

export function number(n: number): string {
  return new Intl.NumberFormat(locale()).format(n);
}
