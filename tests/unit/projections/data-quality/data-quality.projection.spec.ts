import type { RecordedEvent } from '../../../../application/ports/event-store';
import type { ReadDoc, ReadStore } from '../../../../application/ports/read-store';
import { dataQualityProjection } from '../../../../projections/data-quality';
import { BatchContext } from '../../../../projections/runner/batch-context';

/**
 * The data-quality projection folded through the runner's own BatchContext (one write per document and event,
 * reads over the batch's overlay), each batch applied to an in-memory store as the runner commits it.
 */
type Logged = { type: string; data: Record<string, unknown>; recordedAt?: string };
const AT = '2026-03-10T02:00:00.000Z';

async function fold(events: Logged[], batchSize = 500): Promise<(c: string, id: string) => ReadDoc | undefined> {
  const docs = new Map<string, ReadDoc>();
  const store = { get: async (c: string, id: string) => structuredClone(docs.get(`${c}\u0000${id}`) ?? null) } as unknown as ReadStore;
  let position = 0;
  for (let i = 0; i < events.length; i += batchSize) {
    const ctx = new BatchContext(store, (c) => c);
    for (const e of events.slice(i, i + batchSize)) {
      ctx.position = ++position;
      await dataQualityProjection.apply({ ...e, position, streamId: 's', revision: 0, schemaVersion: 1, recordedAt: e.recordedAt ?? AT, occurredAt: e.recordedAt ?? AT } as unknown as RecordedEvent, ctx);
    }
    for (const change of ctx.changes()) {
      if (change.op === 'put') docs.set(`${change.collection}\u0000${change.doc._id}`, change.doc);
      else docs.delete(`${change.collection}\u0000${change.id}`);
    }
  }
  return (c, id) => docs.get(`${c}\u0000${id}`);
}

const base = (baseId: string, lat: number, lon: number, extra: Record<string, unknown> = {}) => ({ baseId, name: `基地${baseId}`, regionCode: '469027', townshipCode: '469027100', address: 'x', lat, lon, areaMu: 2.5, products: ['韭菜'], ...extra });
const applied = (entityId: string, bases: unknown[], creditCode?: string) => ({
  type: 'RegistrationApplied',
  data: { entityId, name: `主体${entityId}`, entityType: 'cooperative', regionCode: '469027', townshipCode: '469027100', address: 'x', legalRepresentative: '李四', contactPhone: '13800138000', ...(creditCode ? { creditCode } : {}), bases, products: ['韭菜'], appliedAt: AT, reviewDeadline: AT },
});
const lot = (traceCode: string, entityId: string, baseId: string, quantity: { amount: number; unit: string }, productionDate = '2026-03-09') => ({
  type: 'LotCreated',
  data: { traceCode, entityId, eid: 'E', entityName: 'x', product: '生猪', quantity, productionDate, base: { baseId, name: 'b', regionCode: '469027', lat: 18.748261, lon: 109.172345 }, origin: { kind: 'produced' }, createdAt: AT },
});
const f = (ruleId: string, kind: string, id: string) => `${ruleId}|${kind}|${id}`;

describe('data-quality projection', () => {
  it('given a registration with a 5-decimal base in Guangzhou, then precision and province findings carry rule, category, severity, region, period and the contact', async () => {
    const get = await fold([applied('e1', [base('b1', 23.12910, 113.26441)])]);
    expect(get('dq_findings', f('coordinate-precision', 'base', 'e1:b1'))).toMatchObject({ status: 'open', category: 'precision', severity: 'low', regionCode: '469027', townshipCode: '469027100', month: '2026-03', day: '2026-03-10', responsible: { name: '李四', phone: '13800138000' }, firstSeenAt: AT });
    expect(get('dq_findings', f('outside-declared-region', 'base', 'e1:b1'))).toMatchObject({ status: 'open', category: 'location', severity: 'high', detail: { foundProvince: '44' } });
    expect(get('dq_subjects', 'base:e1:b1')).toMatchObject({ active: true, regionCode: '469027' });
  });

  it('flags two bases of one application in the same cell once each event (the runner keeps the first write per document)', async () => {
    const get = await fold([applied('e1', [base('b1', 18.748261, 109.172345), base('b2', 18.748271, 109.172345)])]);
    expect(get('dq_findings', f('duplicate-base', 'base', 'e1:b1'))).toBeUndefined();
    expect(get('dq_findings', f('duplicate-base', 'base', 'e1:b2'))).toMatchObject({ status: 'open', detail: { near: [{ id: 'e1:b1' }] } });
    expect((get('dq_cells', '1874:10917')?.points as unknown[]).length).toBe(2);
  });

  it('given a duplicate credit code, then the later applicant is flagged; when the first is rejected, the finding resolves as fixed', async () => {
    const code = '91469027MA5T00000X';
    const events: Logged[] = [applied('e1', [base('b1', 18.7, 109.1)], code), applied('e2', [base('b2', 18.8, 109.2)], code)];
    let get = await fold(events);
    expect(get('dq_findings', f('duplicate-credit-code', 'entity', 'e1'))).toBeUndefined();
    expect(get('dq_findings', f('duplicate-credit-code', 'entity', 'e2'))).toMatchObject({ status: 'open', severity: 'high', category: 'duplicate' });
    get = await fold([...events, { type: 'RegistrationRejected', data: { entityId: 'e1', reason: 'r', rejectedAt: AT, reviewerId: 'u' } }], 1);
    expect(get('dq_findings', f('duplicate-credit-code', 'entity', 'e2'))).toMatchObject({ status: 'resolved', resolution: 'fixed' });
    expect(get('dq_subjects', 'entity:e1')).toMatchObject({ active: false });
  });

  it('given an implausible lot, then it is flagged against its base’s area; a future production date is flagged too', async () => {
    const get = await fold([applied('e1', [base('b1', 18.748261, 109.172345)]), lot('T1', 'e1', 'b1', { amount: 50_000, unit: 't' }, '2026-03-12'), lot('T2', 'e1', 'b1', { amount: 300, unit: 'kg' })]);
    expect(get('dq_findings', f('implausible-quantity', 'lot', 'T1'))).toMatchObject({ status: 'open', category: 'plausibility', severity: 'high', responsible: { phone: '13800138000' } });
    expect(get('dq_findings', f('production-date-future', 'lot', 'T1'))).toMatchObject({ status: 'open' });
    expect(get('dq_findings', f('implausible-quantity', 'lot', 'T2'))).toBeUndefined();
  });

  it('applies the rules in force at each event: after the ministry lowers the precision threshold, a 5-decimal base passes', async () => {
    const rule = { ruleId: 'coordinate-precision', check: 'coordinatePrecision', name: 'n', category: 'precision', severity: 'low', params: { minDecimals: 5 }, enabled: true };
    const get = await fold([{ type: 'QualityRuleUpdated', data: { ruleId: rule.ruleId, changes: {}, rule, updatedAt: AT, updatedBy: 'u' } }, applied('e1', [base('b1', 18.74826, 109.17234)])]);
    expect(get('dq_findings', f('coordinate-precision', 'base', 'e1:b1'))).toBeUndefined();
  });

  it('given an origin record outside its province and stale by its due date, when it is changed to the right point and refreshed, then the location finding resolves and the stale one moves on', async () => {
    const fields = (lat: string, lon: string) => ({
      producerName: '乐东合作社', producerType: 'cooperative', industry: 'planting', product: { code: 'x', name: '豇豆' }, address: { villageCode: '469027100201' }, point: { lat, lon },
      contact: { name: '李四', mobile: '13800138000' }, scale: { amount: '12.5', unit: '亩', entered: null }, traceMethods: ['trace-code'],
      gridWorker: { name: '王五', mobile: '13900139000' }, collector: { name: '赵六', mobile: '13700137000' }, entityId: null,
    });
    const place = { countyCode: '469027', townshipCode: '469027100', villageCode: '469027100201' };
    const by = { userId: 'u-col', orgId: 'o', role: 'township-admin', regionCode: '469027100' };
    const due1 = '2026-06-30T16:00:00.000Z';
    const due2 = '2026-12-31T16:00:00.000Z';
    const events: Logged[] = [
      { type: 'OriginRecordCollected', data: { ...place, recordId: 'o1', fields: fields('23.129100', '113.264400'), scope: {}, channel: 'form', importId: null, row: null, fingerprint: 'a', collectedBy: by, collectedAt: AT, refreshDueAt: due1, reviewState: 'pending' } },
    ];
    let get = await fold(events);
    expect(get('dq_findings', f('outside-declared-region', 'origin', 'o1'))).toMatchObject({ status: 'open', responsible: { name: '赵六', phone: '13700137000', userId: 'u-col' } });
    expect(get('dq_findings', `${f('stale-origin-record', 'origin', 'o1')}|${due1}`)).toMatchObject({ status: 'open', firstSeenAt: due1 });
    const later = '2026-07-02T02:00:00.000Z';
    events.push({ type: 'OriginRecordChanged', recordedAt: later, data: { ...place, recordId: 'o1', fields: fields('18.748261', '109.172345'), changed: [], scope: {}, channel: 'form', importId: null, row: null, fingerprint: 'b', changedBy: by, changedAt: later, refreshDueAt: due2, reviewState: 'pending', answeredReturn: null } });
    get = await fold(events);
    expect(get('dq_findings', f('outside-declared-region', 'origin', 'o1'))).toMatchObject({ status: 'resolved', resolution: 'fixed', resolvedAt: later });
    expect(get('dq_findings', `${f('stale-origin-record', 'origin', 'o1')}|${due1}`)).toMatchObject({ status: 'resolved', resolvedAt: later });
    expect(get('dq_findings', `${f('stale-origin-record', 'origin', 'o1')}|${due2}`)).toMatchObject({ status: 'open', firstSeenAt: due2 });
    // refreshed before the next due date: the pending stale finding is withdrawn, not counted as a problem
    events.push({ type: 'OriginRecordRefreshed', recordedAt: '2026-08-01T02:00:00.000Z', data: { ...place, recordId: 'o1', refreshedBy: by, refreshedAt: '2026-08-01T02:00:00.000Z', refreshDueAt: '2027-06-30T16:00:00.000Z', reviewState: 'pending' } });
    get = await fold(events, 2);
    expect(get('dq_findings', `${f('stale-origin-record', 'origin', 'o1')}|${due2}`)).toBeUndefined();
  });

  it('the same log gives the same findings whatever the batch size (replay determinism)', async () => {
    const events = [applied('e1', [base('b1', 23.1291, 113.2644)], '91469027MA5T00000X'), applied('e2', [base('b2', 23.12911, 113.2644)], '91469027MA5T00000X'), lot('T1', 'e2', 'b2', { amount: 50_000, unit: 't' })];
    const whole = await fold(events);
    const single = await fold(events, 1);
    for (const id of [f('duplicate-base', 'base', 'e2:b2'), f('duplicate-credit-code', 'entity', 'e2'), f('implausible-quantity', 'lot', 'T1'), f('outside-declared-region', 'base', 'e1:b1')]) {
      const { _v: _a, ...a } = whole('dq_findings', id)!;
      const { _v: _b, ...b } = single('dq_findings', id)!;
      expect(a).toEqual(b);
      expect(a.status).toBe('open');
    }
  });
});
