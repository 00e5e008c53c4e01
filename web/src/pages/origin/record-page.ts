import type { Page } from '../../app/page';
import { setTitle } from '../../app/page';
import { session } from '../../app/session';
import { label, t } from '../../i18n/i18n';
import { alert, badge, card, facts } from '../../ui/components';
import { h, replace } from '../../ui/dom';
import { date, dateTime } from '../../ui/format';
import { products as loadProducts, record } from './origin-api';
import { recordForm } from './record-form';
import { reviewActions } from './review-actions';
import { collectsOrigin, reviewsOrigin } from './roles';
import { reviewTone } from './table-page';
import { originTabs } from './tabs';

/** One record: its fields, review state (a return's reason and deadline), 信息变更 for collectors, 审核 for the county. */
export const recordPage: Page = async (root, route) => {
  const id = route.parts[2]!;
  const role = session.identity()?.role;
  const [doc, products] = await Promise.all([record(id), loadProducts()]);
  setTitle(doc.fields.producerName);
  const f = doc.fields;
  const a = f.address;
  const rerender = () => void recordPage(root, route);
  replace(
    root,
    originTabs('', role),
    h('h1', null, f.producerName, ' ', badge(label('originReview', doc.reviewState), reviewTone(doc.reviewState))),
    doc.reviewState === 'returned' ? h('div', { 'data-testid': 'origin-return-notice' }, alert('bad', t('origin.returnedNotice'), `${t('origin.returnReason')}：${doc.returnReason ?? ''}`, `${t('origin.returnDeadline')}：${date(doc.returnDeadline)}`)) : null,
    card(
      null,
      facts([
        [t('origin.field.producerType'), label('originProducerType', f.producerType)],
        [t('origin.field.product'), `${f.product.name}${f.alias ? `（${f.alias}）` : ''}`],
        [t('origin.field.certification'), f.certification ? label('originCert', f.certification) : ''],
        [t('origin.col.address'), `${a.provinceName} ${a.cityName} ${a.countyName} ${a.townshipName} ${a.villageName}${a.detail ? ` ${a.detail}` : ''}（${a.villageCode}）`],
        [t('origin.col.point'), h('span', { class: 'mono', 'data-testid': 'origin-point' }, `${f.point.lat}, ${f.point.lon}`)],
        [t('origin.col.scale'), `${f.scale.amount} ${f.scale.unit}${f.scale.entered ? `（${f.scale.entered.amount} ${f.scale.entered.unit}）` : ''} · ${doc.inScope ? t('originScope.true') : t('originScope.false')}`],
        [t('origin.field.marketingFrom'), f.marketing ? `${f.marketing.from} – ${f.marketing.to}` : ''],
        [t('origin.field.traceMethods'), f.traceMethods.map((m) => label('originTrace', m)).join('、')],
        [t('origin.field.contactName'), `${f.contact.name} ${f.contact.mobile}`],
        [t('origin.field.gridWorkerName'), `${f.gridWorker.name} ${f.gridWorker.mobile}`],
        [t('origin.field.collectorName'), `${f.collector.name} ${f.collector.mobile}`],
        [t('origin.refreshDue'), dateTime(doc.refreshDueAt)],
        [t('origin.col.updated'), `${dateTime(doc.updatedAt)} · ${t('origin.revisions', { n: doc.revisions })}`],
      ]),
    ),
    reviewsOrigin(role) && doc.reviewState === 'pending' ? card(t('origin.review'), reviewActions(id, rerender)) : null,
    collectsOrigin(role) ? card(t('origin.changeTitle'), recordForm(products, { existing: { id, fields: f }, onSaved: () => setTimeout(rerender, 600) })) : null,
  );
};
