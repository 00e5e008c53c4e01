import fc from 'fast-check';
import { applied, approved, certified, confirmed, lotCreated, rejected, resultRecorded, sampleTaken, shipped, transferRejected, warningAcknowledged, warningClosed, warningRaised } from './events';
import type { LoggedEvent } from './fold';

/**
 * Consistent statistics logs for property tests (tests/property/statistics.spec.ts, batch-fold.spec.ts): actions
 * (registrations and reviews, lots, hand-overs, certificates, samples, warnings) over five counties, two of them
 * with township codes, time moving forward so that a log spans months.
 */
export const COUNTIES = ['460105', '460106', '460202', '440305', '440106'];
/** Sanya Haitang's samples and warnings are located by township (as a township grid worker records them). */
const TOWNSHIPS: Record<string, string[]> = { '460202': ['460202100', '460202101'] };
const PRODUCTS = ['豇豆', '芒果', '生猪'];
const TYPES = ['enterprise', 'cooperative', 'familyFarm'];
const LEVELS = ['red', 'orange', 'yellow', 'blue'];

export type Action =
  | { kind: 'entity'; county: number; type: number; decision: 'none' | 'approve' | 'reject'; late: boolean }
  | { kind: 'lot'; entity: number; product: number; amount: number; head: boolean }
  | { kind: 'transfer'; lot: number; to: number; outcome: 'confirm' | 'reject' | 'pending'; amount: number }
  | { kind: 'certificate'; lot: number; market: number; amount: number }
  | { kind: 'sample'; county: number; township: number; product: number; verdicts: ('pass' | 'fail' | 'inconclusive')[] }
  | { kind: 'warning'; county: number; township: number; product: number; level: number; lifecycle: 0 | 1 | 2 };

export const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('entity' as const), county: fc.nat(4), type: fc.nat(2), decision: fc.constantFrom('none' as const, 'approve' as const, 'reject' as const), late: fc.boolean() }),
  fc.record({ kind: fc.constant('lot' as const), entity: fc.nat(50), product: fc.nat(2), amount: fc.integer({ min: 1, max: 5000 }), head: fc.boolean() }),
  fc.record({ kind: fc.constant('transfer' as const), lot: fc.nat(50), to: fc.nat(50), outcome: fc.constantFrom('confirm' as const, 'reject' as const, 'pending' as const), amount: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ kind: fc.constant('certificate' as const), lot: fc.nat(50), market: fc.nat(4), amount: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ kind: fc.constant('sample' as const), county: fc.nat(4), township: fc.nat(1), product: fc.nat(2), verdicts: fc.array(fc.constantFrom('pass' as const, 'fail' as const, 'inconclusive' as const), { minLength: 1, maxLength: 3 }) }),
  fc.record({ kind: fc.constant('warning' as const), county: fc.nat(4), township: fc.nat(1), product: fc.nat(3), level: fc.nat(3), lifecycle: fc.constantFrom(0 as const, 1 as const, 2 as const) }),
);

/** A consistent log from the actions, time moving forward 0–40 hours per action (so it spans months). */
export function buildLog(actions: Action[], steps: number[]): LoggedEvent[] {
  const log: LoggedEvent[] = [];
  let t = Date.parse('2025-12-20T00:00:00Z');
  const entities: { id: string; county: string }[] = [];
  const lots: { code: string; county: string; entity: string; product: string; unit: string }[] = [];
  const place = (county: string, township: number) => (TOWNSHIPS[county] ? TOWNSHIPS[county][township]! : county);
  actions.forEach((a, i) => {
    t += (steps[i % steps.length] ?? 1) * 3600_000;
    const iso = (offsetH = 0) => new Date(t + offsetH * 3600_000).toISOString();
    switch (a.kind) {
      case 'entity': {
        const id = `e${i}`;
        const county = COUNTIES[a.county]!;
        log.push(applied(id, county, iso(), iso(5 * 24), TYPES[a.type]));
        if (a.decision !== 'none') log.push((a.decision === 'approve' ? approved : rejected)(id, iso(a.late ? 6 * 24 : 24)));
        entities.push({ id, county });
        t += (a.decision !== 'none' ? (a.late ? 6 : 1) * 24 : 0) * 3600_000;
        return;
      }
      case 'lot': {
        if (entities.length === 0) return;
        const e = entities[a.entity % entities.length]!;
        const unit = a.head ? 'head' : 'kg';
        const code = `L${i}`;
        log.push(lotCreated(code, e.id, e.county, PRODUCTS[a.product]!, { amount: a.amount, unit }, iso()));
        lots.push({ code, county: e.county, entity: e.id, product: PRODUCTS[a.product]!, unit });
        return;
      }
      case 'transfer': {
        if (lots.length === 0 || entities.length === 0) return;
        const lot = lots[a.lot % lots.length]!;
        const to = entities[a.to % entities.length]!;
        const q = { amount: a.amount, unit: lot.unit };
        log.push(shipped(`T${i}`, lot.code, lot.entity, lot.county, lot.product, q, { entityId: to.id, county: to.county }, iso()));
        if (a.outcome === 'confirm') {
          log.push(confirmed(`T${i}`, lot.code, `L${i}c`, lot.product, q, { entityId: to.id, county: to.county }, iso(1)));
          log.push(lotCreated(`L${i}c`, to.id, to.county, lot.product, q, iso(1), { traceCode: lot.code, transferId: `T${i}` }, lot.county));
          lots.push({ code: `L${i}c`, county: to.county, entity: to.id, product: lot.product, unit: lot.unit });
        }
        if (a.outcome === 'reject') log.push(transferRejected(`T${i}`, lot.code, q, iso(1)));
        return;
      }
      case 'certificate': {
        if (lots.length === 0) return;
        const lot = lots[a.lot % lots.length]!;
        log.push(certified(lot.code, COUNTIES[a.market]!, { amount: a.amount, unit: lot.unit }, iso(), `C${i}`));
        return;
      }
      case 'sample': {
        const where = place(COUNTIES[a.county]!, a.township);
        log.push(sampleTaken(`S${i}`, where, PRODUCTS[a.product]!, iso()));
        log.push(resultRecorded(`S${i}`, where, PRODUCTS[a.product]!, a.verdicts.map((v, k) => [`a${k}`, v]), iso(2)));
        return;
      }
      case 'warning': {
        const where = place(COUNTIES[a.county]!, a.township);
        log.push(warningRaised(`W${i}`, where, PRODUCTS[a.product] ?? null, LEVELS[a.level]!, iso()));
        if (a.lifecycle >= 1) log.push(warningAcknowledged(`W${i}`, iso(3)));
        if (a.lifecycle >= 2) log.push(warningClosed(`W${i}`, iso(4)));
        return;
      }
    }
  });
  return log;
}


/** Actions, hour steps, and a batch size. */
export const logArb = fc.tuple(fc.array(action, { minLength: 1, maxLength: 60 }), fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 10 }), fc.integer({ min: 1, max: 40 }));
