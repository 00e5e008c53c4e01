import { regionLabel } from '../../api/regions';
import { t } from '../../i18n/i18n';

/** How loud an incident's status and level are shown, and who leads it ('' = the ministry). */
export const statusTone = (s: string) => (s === 'responding' ? 'bad' : s === 'closed' ? 'ok' : s === 'declined' ? 'muted' : 'warn');
export const levelTone = (l: string) => (l === 'especially-major' || l === 'major' ? 'bad' : l === 'serious' ? 'warn' : 'info');
export const leadAgency = (code: string) => (code ? regionLabel(code, true) : t('incident.ministry'));
