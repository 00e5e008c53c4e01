import type { AccessGrant } from '../../application/access/grants';
import { agencyLevelOf, INCIDENT_EVENT_TYPES, type IncidentEvent } from '../../domain/incidents';
import type { Projection } from '../runner/projection';

/** The grant an incident's response gives, one per incident (application/access/grants.ts). */
export const incidentGrantId = (incidentId: string): string => `incident-response:${incidentId}`;

const union = (a: unknown, b: string[]): string[] => [...new Set([...((a as string[] | undefined) ?? []), ...b])];

/**
 * `incidents` (one document per incident: record, level, lead agency, chain scope, lifecycle, handling
 * record), `incident_log` (the handling log, one document per entry — a list that grows with events is a
 * child collection), `incident_grants` (the access grant of a running response: lead agency and affected
 * regions; `until` set at the close) and `incident_notices` (应急信息发布, by the trace codes they concern).
 */
export const incidentsProjection: Projection = {
  name: 'incidents',
  version: 1,
  handles: INCIDENT_EVENT_TYPES,
  collections: ['incidents', 'incident_log', 'incident_grants', 'incident_notices'],
  async apply(raw, ctx) {
    const event = { type: raw.type, data: raw.data } as IncidentEvent;
    if (event.type === 'IncidentRecorded') {
      const d = event.data;
      ctx.put('incidents', {
        _id: d.incidentId,
        incidentId: d.incidentId,
        title: d.title,
        description: d.description,
        occurredAt: d.occurredAt,
        place: d.place,
        regionCode: d.place.regionCode,
        category: d.category,
        level: d.level,
        source: d.source,
        responsible: d.responsible,
        namedTraceCodes: d.traceCodes,
        entityIds: d.entityIds,
        status: 'recorded',
        leadRegionCode: d.leadRegionCode,
        leadLevel: agencyLevelOf(d.leadRegionCode),
        regionsTouched: d.chain.regionsTouched,
        traceCodes: d.chain.traceCodes,
        holderEntityIds: d.chain.holderEntityIds,
        recordedAt: d.recordedAt,
        recordedBy: d.recordedBy,
        review: null,
        responseStartedAt: null,
        recallDeadline: null,
        escalations: [],
        grading: [],
        handlingCount: 0,
        noticeIds: [],
        closedAt: null,
        record: null,
      });
      return;
    }
    const doc = await ctx.get('incidents', event.data.incidentId);
    if (!doc) throw new Error(`incidents: ${event.type} for unknown incident ${event.data.incidentId}`);
    switch (event.type) {
      case 'IncidentGraded':
        ctx.put('incidents', { ...doc, level: event.data.to, grading: [...(doc.grading as unknown[]), { from: event.data.from, to: event.data.to, reason: event.data.reason, at: event.data.gradedAt, by: event.data.gradedBy }] });
        return;
      case 'IncidentReviewed': {
        const d = event.data;
        ctx.put('incidents', { ...doc, review: { decision: d.decision, opinion: d.opinion, at: d.reviewedAt, by: d.reviewedBy }, status: d.decision === 'no-response' ? 'declined' : doc.status });
        return;
      }
      case 'ResponseStarted': {
        const d = event.data;
        ctx.put('incidents', {
          ...doc,
          status: 'responding',
          responseStartedAt: d.startedAt,
          recallDeadline: d.recallDeadline,
          leadRegionCode: d.leadRegionCode,
          leadLevel: agencyLevelOf(d.leadRegionCode),
          regionsTouched: d.regionsTouched,
          traceCodes: d.traceCodes,
          holderEntityIds: d.holderEntityIds,
        });
        const grant: AccessGrant = {
          grantId: incidentGrantId(d.incidentId),
          reason: { kind: 'incident-response', incidentId: d.incidentId },
          granteeRegionCodes: [...new Set([d.leadRegionCode, ...d.regionsTouched])],
          traceCodes: d.traceCodes,
          entityIds: d.holderEntityIds,
          from: d.startedAt,
          until: null,
        };
        ctx.put('incident_grants', { _id: grant.grantId, incidentId: d.incidentId, ...grant });
        return;
      }
      case 'IncidentChainExtended': {
        const d = event.data;
        ctx.put('incidents', { ...doc, regionsTouched: d.regionsTouched, traceCodes: d.traceCodes, holderEntityIds: d.holderEntityIds });
        const grant = await ctx.get('incident_grants', incidentGrantId(d.incidentId));
        if (grant) {
          ctx.put('incident_grants', {
            ...grant,
            granteeRegionCodes: union(grant.granteeRegionCodes, d.addedRegions),
            traceCodes: union(grant.traceCodes, d.addedTraceCodes),
            entityIds: union(grant.entityIds, d.addedHolderEntityIds),
          });
        }
        return;
      }
      case 'LeadAgencyEscalated': {
        const d = event.data;
        ctx.put('incidents', {
          ...doc,
          leadRegionCode: d.to,
          leadLevel: agencyLevelOf(d.to),
          escalations: [...(doc.escalations as unknown[]), { from: d.from, to: d.to, regionsTouched: d.regionsTouched, at: d.escalatedAt }],
        });
        const grant = await ctx.get('incident_grants', incidentGrantId(d.incidentId));
        if (grant) ctx.put('incident_grants', { ...grant, granteeRegionCodes: union(grant.granteeRegionCodes, [d.to]) });
        return;
      }
      case 'HandlingLogged': {
        const d = event.data;
        ctx.put('incident_log', { _id: `${d.incidentId}:${String(d.seq).padStart(6, '0')}`, incidentId: d.incidentId, seq: d.seq, kind: d.kind, description: d.description, documents: d.documents, people: d.people, at: d.loggedAt, by: d.loggedBy });
        ctx.put('incidents', { ...doc, handlingCount: d.seq });
        return;
      }
      case 'PublicNoticePublished': {
        const d = event.data;
        ctx.put('incident_notices', { _id: d.noticeId, noticeId: d.noticeId, incidentId: d.incidentId, title: d.title, body: d.body, traceCodes: d.traceCodes, publishedAt: d.publishedAt, incidentClosedAt: null });
        ctx.put('incidents', { ...doc, noticeIds: union(doc.noticeIds, [d.noticeId]) });
        return;
      }
      case 'IncidentClosed': {
        const d = event.data;
        ctx.put('incidents', { ...doc, status: 'closed', closedAt: d.closedAt, closedBy: d.closedBy, record: d.record });
        const grant = await ctx.get('incident_grants', incidentGrantId(d.incidentId));
        if (grant) ctx.put('incident_grants', { ...grant, until: d.closedAt });
        // The consumer pages stop showing the notice as current once the incident is closed.
        for (const noticeId of (doc.noticeIds as string[] | undefined) ?? []) {
          const notice = await ctx.get('incident_notices', noticeId);
          if (notice) ctx.put('incident_notices', { ...notice, incidentClosedAt: d.closedAt });
        }
        return;
      }
      default:
        return;
    }
  },
};

export const incidentReadModelIndexes: Record<string, string[][]> = {
  incidents: [['status'], ['traceCodes'], ['regionsTouched'], ['leadRegionCode'], ['recordedAt']],
  incident_log: [['incidentId']],
  incident_grants: [['granteeRegionCodes'], ['incidentId']],
  incident_notices: [['traceCodes'], ['incidentId']],
};
