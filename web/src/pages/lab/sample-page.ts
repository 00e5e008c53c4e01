import { regionLabel, regionNames } from '../../api/regions';
import { setTitle } from '../../app/page';
import { session } from '../../app/session';
import { t } from '../../i18n/i18n';
import { alert, card, errorView, facts } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { dateTime, groupTraceCode, quantity } from '../../ui/format';
import { getSample, getTask } from './lab-api';
import { sampleStatus, verdictBadge } from './lab-labels';
import { outcomesTable } from './outcomes-table';
import { resultForm } from './result-form';
import { retestForm } from './retest-form';

/** 样品: what was taken where, the result against the limits (or the form to enter it), re-test, the case. */
export async function samplePage(root: HTMLElement, sampleId: string): Promise<void> {
  const sample = await getSample(sampleId);
  const task = await getTask(sample.taskId);
  await regionNames([sample.place.regionCode, sample.subject.regionCode]).catch(() => undefined);
  setTitle(`${t('lab.sample')} · ${sample.product}`);
  const me = session.identity();
  const expectingResult = sample.status === 'taken' ? sample.labOrgId === me?.orgId : sample.status === 'retest-requested' && sample.retestRequest?.retestLab.orgId === me?.orgId;
  const reload = () => void samplePage(root, sampleId).catch((err) => replace(root, errorView(err)));

  replace(
    root,
    h('p', null, h('a', { href: `#/lab/tasks/${encodeURIComponent(sample.taskId)}` }, `‹ ${sample.taskTitle}`)),
    h('h1', null, `${t('lab.sample')} · ${sample.product}`, ' ', h('span', { 'data-testid': 'sample-verdict', 'data-verdict': sample.verdict ?? '' }, sample.verdict ? verdictBadge(sample.verdict) : sampleStatus(sample.status))),
    card(
      t('lab.sampleDetails'),
      facts([
        [t('lab.entityName'), `${sample.subject.entityName}${sample.subject.eid ? ` (${sample.subject.eid})` : ''}`],
        [t('lot.code'), sample.traceCode ? h('a', { href: `/t/${sample.traceCode}`, class: 'code' }, groupTraceCode(sample.traceCode)) : t('lab.noTraceCode')],
        [t('lab.placeAddress'), `${sample.place.address} · ${regionLabel(sample.place.regionCode, true)}`],
        [t('lab.sampledAt'), dateTime(sample.sampledAt)],
        [t('lab.sampler'), [sample.sampler.name, sample.sampler.certificateNo].filter(Boolean).join(' · ')],
        [t('lab.quantityKg'), sample.quantity ? quantity(sample.quantity) : null],
        [t('lab.standard'), sample.standard],
        [t('lab.status'), sampleStatus(sample.status)],
      ]),
    ),
    sample.outcomes?.length ? card(t('lab.results'), outcomesTable(sample.outcomes)) : null,
    sample.caseId
      ? h('div', { 'data-testid': 'sample-case' }, alert('bad', t('lab.referred'), t('lab.caseNo', { caseId: sample.caseId })))
      : null,
    sample.retestRequest
      ? card(t('lab.retest'), facts([[t('lab.retestReason'), sample.retestRequest.reason], [t('lab.retestLabName'), sample.retestRequest.retestLab.name], [t('lab.requestedBy'), sample.retestRequest.requestedBy], [t('lab.requestedAt'), dateTime(sample.retestRequest.requestedAt)]]))
      : null,
    expectingResult ? card(sample.status === 'retest-requested' ? t('lab.enterRetest') : t('lab.enterResult'), resultForm(task, sample, reload)) : null,
    sample.verdict === 'fail' && !sample.retestRequest ? card(t('lab.requestRetest'), retestForm(sample, reload)) : null,
  );
}
