import { severity } from '../../domain/risk/levels';
import { WARNING_EVENT_TYPES, type WarningEvent } from '../../domain/risk/warning';
import type { Projection } from '../runner/projection';

/** `risk_warnings`: every warning with its lifecycle, filterable by region, level, product, state. */
export const riskWarningsProjection: Projection = {
  name: 'risk-warnings',
  version: 1,
  handles: WARNING_EVENT_TYPES,
  collections: ['risk_warnings'],
  async apply(raw, ctx) {
    const event = { type: raw.type, data: raw.data } as WarningEvent;
    if (event.type === 'WarningRaised') {
      const d = event.data;
      ctx.put('risk_warnings', {
        _id: d.warningId,
        warningId: d.warningId,
        state: 'raised',
        indicator: d.rule.indicator,
        ruleId: d.rule.ruleId,
        ruleName: d.rule.name,
        ruleSource: d.rule.source,
        level: d.rule.level,
        severity: severity(d.rule.level),
        subject: d.subject,
        regionCode: d.subject.regionCode,
        traceCode: d.subject.traceCode,
        entityId: d.subject.entityId,
        product: d.subject.product,
        reason: d.reason,
        cause: d.cause,
        hold: d.hold,
        evidence: d.evidence,
        raisedAt: d.raisedAt,
        acknowledgedAt: null,
        closedAt: null,
      });
      return;
    }
    const doc = await ctx.get('risk_warnings', event.data.warningId);
    if (!doc) throw new Error(`risk_warnings: ${event.type} for unknown warning ${event.data.warningId}`);
    if (event.type === 'WarningAcknowledged') {
      ctx.put('risk_warnings', { ...doc, state: 'acknowledged', acknowledgedAt: event.data.acknowledgedAt, acknowledgedBy: event.data.acknowledgedBy, note: event.data.note });
    } else {
      ctx.put('risk_warnings', { ...doc, state: 'closed', closedAt: event.data.closedAt, closedBy: event.data.closedBy, closeReason: event.data.reason, resolution: event.data.resolution });
    }
  },
};
