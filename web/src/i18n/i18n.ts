import { en } from './en';
import { zh } from './zh';

/** Chinese by default (the platform's users); English on request, remembered in this browser. */
export type Lang = 'zh' | 'en';
export type Key = keyof typeof zh;

const DICTS: Record<Lang, Record<Key, string>> = { zh, en };
const STORE = 'suyuan.lang';
let lang: Lang = localStorage.getItem(STORE) === 'en' ? 'en' : 'zh';

export function currentLang(): Lang {
  return lang;
}

export function setLang(next: Lang): void {
  lang = next;
  localStorage.setItem(STORE, next);
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
}

/** A message with {name} placeholders filled in. */
export function t(key: Key, params: Record<string, string | number> = {}): string {
  const text = DICTS[lang][key] ?? zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, p: string) => (p in params ? String(params[p]) : `{${p}}`));
}

/** A code value in a group (entityType.cooperative, role.auditor, event.LotCreated …); the raw value when unknown. */
export function label(group: string, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const key = `${group}.${value}` as Key;
  return key in zh ? t(key) : value;
}

export function locale(): string {
  return lang === 'zh' ? 'zh-CN' : 'en-GB';
}
