import { ApiError } from '../../api/errors';
import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { replaceRouteQuery } from '../../app/router';
import { session } from '../../app/session';
import { t, type Key } from '../../i18n/i18n';
import { zh } from '../../i18n/zh';
import { alert, busy, card, errorView } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { number } from '../../ui/format';
import { download, errorsUrl, importResults, importStatus, templateUrl, upload, type ImportStatus, type RowResult } from './origin-api';
import { originTabs } from './tabs';

/** How often the page asks the status route while the job runs. */
const POLL_MS = 400;

/**
 * 表格方式批量采集: download the template, upload a filled one, follow the job (a progress bar over the status
 * route), then the refused rows (column and rule) and the error workbook. `?import={id}` reopens an import.
 */
export const importPage: Page = async (root, route) => {
  setTitle(t('origin.importTitle'));
  const out = h('div');
  const progress = h('div', { 'data-testid': 'origin-import-progress' });
  const results = h('div', { 'data-testid': 'origin-import-results' });
  const fileInput = h('input', { type: 'file', accept: '.xlsx,.csv', 'data-testid': 'origin-import-file', 'aria-label': t('origin.importFile') }) as HTMLInputElement;
  const uploadButton = h('button', { type: 'submit', 'data-testid': 'origin-import-upload' }, t('origin.importUpload')) as HTMLButtonElement;
  const templateButton = (format: 'xlsx' | 'csv') => {
    const b = h('button', { type: 'button', class: 'secondary', 'data-testid': `origin-template-${format}` }, t(format === 'xlsx' ? 'origin.templateXlsx' : 'origin.templateCsv')) as HTMLButtonElement;
    b.addEventListener('click', () => void busy(b, out, () => download(templateUrl(format), `重点农产品产地溯源信息采集表.${format}`)));
    return b;
  };
  const form = h('form', { class: 'import-form' }, fileInput, uploadButton);
  replace(
    root,
    h('h1', null, t('origin.importTitle')),
    originTabs('import', session.identity()?.role),
    card(t('origin.templateTitle'), h('p', null, t('origin.templateHint')), h('div', { class: 'actions' }, templateButton('xlsx'), templateButton('csv'))),
    card(t('origin.importTitle'), form, out, progress, results),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  let alive = true;

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const file = fileInput.files?.[0];
    if (!file) return;
    void busy(uploadButton, out, async () => {
      const status = await upload(file);
      replaceRouteQuery('/origin/import', { import: status.importId });
      follow(status.importId, status);
    });
  });

  function follow(id: string, status: ImportStatus | null): void {
    clearTimeout(timer);
    const tick = async () => {
      try {
        const s = status ?? (await importStatus(id));
        status = null;
        if (!alive) return;
        showProgress(s);
        if (s.state === 'done' || s.state === 'failed') return void showResults(s);
        timer = setTimeout(() => void tick(), POLL_MS);
      } catch (err) {
        replace(progress, errorView(err));
      }
    };
    void tick();
  }

  function showProgress(s: ImportStatus): void {
    const done = s.state === 'done' || s.state === 'failed';
    const fraction = done ? 1 : s.bytesTotal ? Math.min(0.99, s.bytesRead / s.bytesTotal) : 0;
    replace(
      progress,
      h('progress', { max: '100', value: String(Math.round(fraction * 100)), 'data-testid': 'origin-import-bar', 'data-state': s.state, 'aria-label': t('origin.importProgress') }),
      h(
        'p',
        { 'data-testid': 'origin-import-counts', 'aria-live': 'polite' },
        t('origin.importCounts', { state: t(`origin.importState.${s.state}` as Key), read: number(s.rowsRead), accepted: number(s.accepted), refused: number(s.refused), created: number(s.created), updated: number(s.updated), unchanged: number(s.unchanged) }),
      ),
    );
  }

  async function showResults(s: ImportStatus): Promise<void> {
    if (s.state === 'failed') {
      replace(results, errorView(new ApiError(400, s.error?.code ?? 'IMPORT_FAILED', s.error?.message ?? '', {})));
      return;
    }
    if (s.refused === 0) return replace(results, alert('ok', t('origin.importClean')));
    const refused = await importResults(s.importId, true);
    const errorsButton = h('button', { type: 'button', 'data-testid': 'origin-import-errors' }, t('origin.importErrors')) as HTMLButtonElement;
    const dl = h('div');
    errorsButton.addEventListener('click', () => void busy(errorsButton, dl, () => download(errorsUrl(s.importId), `导入错误-${s.fileName.replace(/\.(xlsx|csv)$/i, '')}.xlsx`)));
    replace(
      results,
      h('div', { class: 'actions' }, errorsButton, dl),
      h(
        'table',
        { class: 'table', 'data-testid': 'origin-refused' },
        h('thead', null, h('tr', null, h('th', null, t('origin.importRow')), h('th', null, t('origin.importColumn')), h('th', null, t('origin.importRule')))),
        h('tbody', null, refused.items.map((r) => h('tr', { 'data-row': String(r.row) }, h('td', null, String(r.row)), h('td', null, r.column ?? ''), h('td', null, ruleText(r), h('br'), h('small', { class: 'muted' }, r.rule ?? ''))))),
      ),
    );
  }

  const reopen = route.query.get('import');
  if (reopen) follow(reopen, null);
  return () => {
    alive = false;
    clearTimeout(timer);
  };
};

/** A refused row's rule in the user's language, by its code (the server's rule text is shown small beside it). */
function ruleText(r: RowResult): string {
  const key = `errorCode.${r.code}` as Key;
  return key in zh ? t(key) : (r.code ?? '');
}
