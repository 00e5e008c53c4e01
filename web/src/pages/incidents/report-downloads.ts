import type { IncidentDetail } from '../../api/types';
import { t, type Key } from '../../i18n/i18n';
import { errorView as errorBox } from '../../ui/components';
import { h } from '../../ui/dom';
import { groupTraceCode } from '../../ui/format';
import { download } from './incident-api';

/**
 * The incident's report in three formats (PDF in Chinese, FSMA 204 XLSX, EPCIS 2.0 JSON-LD), all from the
 * same chain synthesis (`GET /api/v1/incidents/{id}/report?format=`); the EPCIS export of each lot the
 * incident names (`/trace/{code}/epcis`) is offered beside it.
 */
const FORMATS: [format: string, key: Key, path: (id: string) => string, file: (id: string) => string][] = [
  ['pdf', 'reports.pdf', (id) => `/api/v1/incidents/${id}/report?format=pdf`, (id) => `incident-${id}.pdf`],
  ['xlsx', 'reports.xlsx', (id) => `/api/v1/incidents/${id}/report?format=xlsx`, (id) => `incident-${id}-fsma204.xlsx`],
  ['epcis', 'reports.epcis', (id) => `/api/v1/incidents/${id}/report?format=epcis`, (id) => `incident-${id}-epcis.jsonld`],
];

export function reportDownloads(incident: IncidentDetail): HTMLElement {
  const out = h('div', { class: 'form-out', 'data-testid': 'report-out' });
  const button = (key: Key, testid: string, path: string, file: string) => {
    const b = h('button', { type: 'button', class: 'secondary', 'data-testid': testid }, t(key));
    b.addEventListener('click', async () => {
      b.disabled = true;
      out.replaceChildren();
      try {
        await download(path, file);
      } catch (err) {
        out.replaceChildren(errorBox(err));
      } finally {
        b.disabled = false;
      }
    });
    return b;
  };
  const id = encodeURIComponent(incident.incidentId);
  return h(
    'div',
    { class: 'stack', 'data-testid': 'report-downloads' },
    h('div', { class: 'row' }, FORMATS.map(([format, key, path, file]) => button(key, `report-${format}`, path(id), file(incident.incidentId)))),
    incident.namedTraceCodes.length
      ? h(
          'p',
          { class: 'row' },
          h('span', { class: 'muted' }, t('reports.lotEpcis')),
          incident.namedTraceCodes.map((c) => button('reports.epcisOf', 'lot-epcis', `/api/v1/trace/${encodeURIComponent(c)}/epcis`, `epcis-${c}.jsonld`)).map((b, i) => {
            b.append(' ', groupTraceCode(incident.namedTraceCodes[i]!));
            return b;
          }),
        )
      : null,
    out,
  );
}
