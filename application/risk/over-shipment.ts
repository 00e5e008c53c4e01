import { decider as lotDecider, lotStreamId } from '../../domain/lots';
import { regionOfEid } from '../../domain/registration/eid';
import { applicableRule, overShipmentTriggered } from '../../domain/risk/rules';
import { SYSTEM_ACTOR, type Actor } from '../../domain/shared/actor';
import type { Quantity } from '../../domain/shared/quantity';
import type { Clock, IdGenerator } from '../ports/clock';
import type { ReadModels } from '../ports/read-models';
import type { ReadStore } from '../ports/read-store';
import type { Ledger } from '../ledger/ledger';
import { loadRiskRules } from './risk-rules';
import { raiseWarning } from './warnings';
import { overShipmentWarningId } from './warning-ids';

export interface OverShipmentAttempt {
  attemptId: string;
  at: string;
  traceCode: string;
  entityId: string;
  entityName: string;
  product: string;
  regionCode: string;
  requested: Quantity;
  available: Quantity;
  by: Pick<Actor, 'userId' | 'orgId' | 'role'>;
  path: string;
}

export const ATTEMPTS_COLLECTION = 'risk_attempts';

/**
 * Refused over-shipments (a holder asking to ship or certify more than its lot holds: suspected lot mixing,
 * 混批). The refused command itself appends nothing (DESIGN.md); the attempt is kept as an observation in
 * the read store, and when the ministry's `overShipmentAttempts` rule is met (default: 2 within 24 h by one
 * entity) a warning is raised — that warning is the ledger event, carrying every attempt as evidence.
 */
export class OverShipmentWatch {
  constructor(
    private readonly ledger: Ledger,
    private readonly reads: ReadStore,
    private readonly models: ReadModels,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async init(): Promise<void> {
    await this.reads.ensureIndex(ATTEMPTS_COLLECTION, ['entityId']);
  }

  /** Records the attempt; raises the warning when the rule is met. Returns the warning id when one was raised. */
  async observe(details: { traceCode?: unknown; requested?: unknown; available?: unknown }, actor: Actor, path: string): Promise<string | null> {
    if (typeof details.traceCode !== 'string') return null;
    const lot = await this.ledger.load(lotStreamId(details.traceCode), lotDecider);
    if (lot.state.status === 'none') return null;
    const now = this.clock.now();
    const attempt: OverShipmentAttempt = {
      attemptId: this.ids.uuid(),
      at: now.toISOString(),
      traceCode: lot.state.traceCode,
      entityId: lot.state.entityId,
      entityName: lot.state.entityName,
      product: lot.state.product,
      regionCode: regionOfEid(lot.state.eid),
      requested: details.requested as Quantity,
      available: details.available as Quantity,
      by: { userId: actor.userId, orgId: actor.orgId, role: actor.role },
      path,
    };
    await this.reads.applyChanges('risk-attempts', [{ op: 'put', collection: ATTEMPTS_COLLECTION, doc: { _id: attempt.attemptId, _v: now.getTime(), ...attempt } }], 0);

    const rules = await loadRiskRules(this.ledger);
    const longest = Math.max(0, ...rules.filter((r) => r.indicator === 'overShipmentAttempts').map((r) => r.params.windowHours ?? 0));
    const recent = (await this.reads.find(ATTEMPTS_COLLECTION, { entityId: attempt.entityId, at: { $gt: new Date(now.getTime() - longest * 3_600_000).toISOString() } }, { sort: { at: 1 }, limit: 10_000 })) as unknown as OverShipmentAttempt[];
    const rule = applicableRule(rules, 'overShipmentAttempts', (r) => overShipmentTriggered(r, recent.map((a) => a.at), now));
    if (!rule) return null;
    const open = await this.models.count('risk_warnings', { indicator: 'overShipmentAttempts', 'subject.entityId': attempt.entityId, state: { $in: ['raised', 'acknowledged'] } });
    if (open > 0) return null;
    const inWindow = recent.filter((a) => Date.parse(a.at) > now.getTime() - rule.params.windowHours! * 3_600_000);
    const warningId = overShipmentWarningId(attempt.entityId, inWindow[0]!.attemptId);
    const raised = await raiseWarning(
      this.ledger,
      this.clock,
      {
        warningId,
        rule,
        subject: { kind: 'lot', regionCode: attempt.regionCode, traceCode: attempt.traceCode, entityId: attempt.entityId, entityName: attempt.entityName, product: attempt.product, transferId: null, sampleId: null },
        reason: `${rule.params.windowHours}小时内${inWindow.length}次超出批次余量出货（疑似混批）`,
        cause: { kind: 'overShipment', ref: inWindow.map((a) => a.attemptId).join(','), sampleId: null, sourceTraceCode: null, sourceWarningId: null },
        hold: false,
        evidence: { attempts: inWindow.map(({ attemptId, at, traceCode, requested, available, by, path: p }) => ({ attemptId, at, traceCode, requested, available, by, path: p })) },
      },
      { actor: SYSTEM_ACTOR, correlationId: `over-shipment-${attempt.entityId}` },
    );
    return raised ? warningId : null;
  }
}
