import type { RecordedEvent } from '../../../application/ports/event-store';
import type { ReadDoc } from '../../../application/ports/read-store';
import { incidentGrantSource } from '../../../application/incidents/grant-source';
import type { ReadModels } from '../../../application/ports/read-models';
import { incidentsProjection } from '../../../projections/incidents/incidents.projection';
import { recallProjection } from '../../../projections/recall/recall.projection';
import type { Projection, ProjectionContext } from '../../../projections/runner/projection';

/** The two projections folded over hand-written events in memory (what the runner does, minus the stores). */
function fold(projection: Projection, events: { type: string; data: Record<string, unknown> }[]) {
  const docs = new Map<string, ReadDoc>();
  const key = (c: string, id: string) => `${c}/${id}`;
  const ctx: ProjectionContext = {
    get: async (c, id) => docs.get(key(c, id)) ?? null,
    put: (c, doc) => void docs.set(key(c, doc._id), { ...doc, _v: 0 } as ReadDoc),
    delete: (c, id) => void docs.delete(key(c, id)),
    index: () => undefined,
    unindex: () => undefined,
  };
  return {
    async run() {
      let position = 0;
      for (const e of events) await projection.apply({ ...e, position: ++position, recordedAt: '2026-03-10T02:00:00.000Z' } as unknown as RecordedEvent, ctx);
      return (c: string, id: string) => docs.get(key(c, id));
    },
    all: (c: string) => [...docs.entries()].filter(([k]) => k.startsWith(`${c}/`)).map(([, d]) => d),
  };
}

const standing = (traceCode: string, unit: string, affected: number, accountedFor: number) => ({ traceCode, unit, affected, accountedFor, tally: { recovered: accountedFor, destroyed: 0, soldToConsumers: 0 } });
const notice = (entityId: string, region: string, traceCode: string, unit: string, affected: number) => ({
  type: 'RecallNoticeIssued',
  data: { incidentId: 'inc-1', holder: { entityId, name: entityId, eid: null, regionCode: region, contact: { person: null, phone: null } }, lots: [{ traceCode, product: '豇豆', unit, received: affected, passedOn: 0 }], deadline: 'x', issuedAt: 'x', standing: [standing(traceCode, unit, affected, 0)] },
});

describe('recall progress projection', () => {
  it('adds each notice’s change into totals by measure and by region; mass in kg across units', async () => {
    const f = fold(recallProjection, [
      notice('ent-hn', '469027', 'T1', 'kg', 700),
      notice('ent-bj', '110105', 'T3', 'jin', 200), // 100 kg
      { type: 'RecallQuantitiesReported', data: { incidentId: 'inc-1', holderEntityId: 'ent-bj', regionCode: '110105', reportId: 'r', lots: [], note: null, reportedAt: 'y', reportedBy: 'u', standing: [standing('T3', 'jin', 200, 200)] } },
      { type: 'RecallAcknowledged', data: { incidentId: 'inc-1', holderEntityId: 'ent-bj', regionCode: '110105', note: null, acknowledgedAt: 'y', acknowledgedBy: 'u' } },
    ]);
    const get = await f.run();
    expect(get('recall_progress', 'inc-1')).toMatchObject({
      totals: { kg: { affected: 800, accountedFor: 100 } },
      percent: 12.5,
      holders: 2,
      acknowledged: 1,
      byRegion: { '110105': { percent: 100, acknowledged: 1 }, '469027': { percent: 0, holders: 1 } },
    });
    expect(get('recall_notices', 'inc-1:ent-bj')).toMatchObject({ status: 'acknowledged', percent: 100, reports: 1 });
  });

  it('keeps count units apart and averages the measures', async () => {
    const f = fold(recallProjection, [
      notice('a', '469027', 'T1', 'kg', 100),
      notice('b', '440111', 'T2', 'head', 10),
      { type: 'RecallQuantitiesReported', data: { incidentId: 'inc-1', holderEntityId: 'b', regionCode: '440111', reportId: 'r', lots: [], note: null, reportedAt: 'y', reportedBy: 'u', standing: [standing('T2', 'head', 10, 10)] } },
    ]);
    const get = await f.run();
    expect(get('recall_progress', 'inc-1')).toMatchObject({ totals: { kg: { affected: 100, accountedFor: 0 }, head: { affected: 10, accountedFor: 10 } }, percent: 50 });
  });
});

describe('incidents projection: the response’s grant', () => {
  const recorded = { type: 'IncidentRecorded', data: { incidentId: 'inc-1', title: 't', description: 'd', occurredAt: 'x', place: { address: 'a', regionCode: '469027' }, category: 'product-safety', level: 'general', source: { kind: 'manual' }, responsible: { userId: 'u', name: 'n', phone: null }, traceCodes: ['T1'], entityIds: [], chain: { regionsTouched: ['469027'], traceCodes: ['T1'], holderEntityIds: ['e1'] }, leadRegionCode: '469027', recordedAt: 'x', recordedBy: 'u' } };
  const started = { type: 'ResponseStarted', data: { incidentId: 'inc-1', startedAt: '2026-03-10T00:00:00.000Z', leadRegionCode: '', regionsTouched: ['440111', '469027'], traceCodes: ['T1', 'T2'], holderEntityIds: ['e1', 'e2'], recallDeadline: 'z' } };
  const extended = { type: 'IncidentChainExtended', data: { incidentId: 'inc-1', cause: 'c', addedTraceCodes: ['T3'], addedRegions: ['110105'], addedHolderEntityIds: ['e3'], regionsTouched: ['110105', '440111', '469027'], traceCodes: ['T1', 'T2', 'T3'], holderEntityIds: ['e1', 'e2', 'e3'], extendedAt: 'x' } };
  const closed = { type: 'IncidentClosed', data: { incidentId: 'inc-1', record: {}, closedAt: '2026-03-12T00:00:00.000Z', closedBy: 'u', responseRan: true, traceCodes: [] } };

  it('opens at the response’s start for the lead and every affected region, grows with the chain, ends at the close', async () => {
    const f = fold(incidentsProjection, [recorded, started, extended, closed]);
    const get = await f.run();
    expect(get('incident_grants', 'incident-response:inc-1')).toMatchObject({
      reason: { kind: 'incident-response', incidentId: 'inc-1' },
      granteeRegionCodes: ['', '440111', '469027', '110105'],
      traceCodes: ['T1', 'T2', 'T3'],
      entityIds: ['e1', 'e2', 'e3'],
      from: '2026-03-10T00:00:00.000Z',
      until: '2026-03-12T00:00:00.000Z',
    });
    // The GrantSource answers with the grant only while it is in force, and only to the grantee agencies.
    const models = {
      find: async (_c: string, filter: { granteeRegionCodes: string }) => f.all('incident_grants').filter((g) => (g.granteeRegionCodes as string[]).includes(filter.granteeRegionCodes)),
    } as unknown as ReadModels;
    const source = incidentGrantSource(models);
    const county = { role: 'county-admin', regionCode: '110105', orgId: 'o' };
    expect(await source.activeGrantsFor(county, new Date('2026-03-11T00:00:00Z'))).toHaveLength(1);
    expect(await source.activeGrantsFor(county, new Date('2026-03-12T00:00:00Z'))).toHaveLength(0);
    expect(await source.activeGrantsFor(county, new Date('2026-03-09T00:00:00Z'))).toHaveLength(0);
    expect(await source.activeGrantsFor({ role: 'township-admin', regionCode: '110105001', orgId: 'o' }, new Date('2026-03-11T00:00:00Z'))).toHaveLength(0);
    expect(await source.activeGrantsFor({ role: 'producer', regionCode: '110105', orgId: 'e3' }, new Date('2026-03-11T00:00:00Z'))).toHaveLength(0);
  });
});
