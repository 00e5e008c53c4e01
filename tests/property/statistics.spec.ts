import fc from 'fast-check';
import type { ReadDoc } from '../../application/ports/read-store';
import { ALL_PRODUCTS, cstDay, type StatsBucket } from '../../projections/statistics';
import { collection, fold, nonZero, type LoggedEvent } from '../unit/projections/statistics/fold';
import { buildLog, logArb } from '../unit/projections/statistics/log-arbitrary';

/**
 * The statistics equal a brute-force recount of the log: every bucket the projection stores holds exactly
 * what scanning the whole log (no memo, no tally, lookups by searching the log) counts for its region,
 * period and product. And the tree adds up: a province is the sum of its cities, a city of its counties,
 * a county whose records carry township codes the sum of its townships, a month the sum of its days.
 */
// ---- the brute-force recount: each event's counters at the place, day and product it is located at ----

interface Contribution {
  place: string;
  day: string;
  product: string | null;
  counters: Record<string, number>;
}

const grams = (q: { amount: number; unit: string }, name: string): Record<string, number> => (q.unit === 'kg' ? { [`${name}:g`]: q.amount * 1000 } : { [`${name}:${q.unit}`]: q.amount });
const countyOfEid = (eid: string) => eid.slice(0, 6);

function contributions(log: LoggedEvent[]): Contribution[] {
  const out: Contribution[] = [];
  const find = (type: string, pred: (d: Record<string, any>) => boolean) => log.find((e) => e.type === type && pred(e.data as Record<string, any>))!.data as Record<string, any>;
  log.forEach((e, i) => {
    const d = e.data as Record<string, any>;
    const day = cstDay(e.occurredAt);
    const add = (place: string, product: string | null, counters: Record<string, number>, onDay = day) => out.push({ place, day: onDay, product, counters });
    const earlier = log.slice(0, i);
    switch (e.type) {
      case 'RegistrationApplied': {
        add(d.regionCode, null, { entitiesApplied: 1, [`entitiesApplied:${d.entityType}`]: 1, entitiesPending: 1 });
        add(d.regionCode, null, { reviewsDueOpen: 1 }, cstDay(d.reviewDeadline));
        return;
      }
      case 'RegistrationApproved':
      case 'RegistrationRejected': {
        const app = find('RegistrationApplied', (x) => x.entityId === d.entityId);
        const name = e.type === 'RegistrationApproved' ? 'entitiesApproved' : 'entitiesRejected';
        const late = day > cstDay(app.reviewDeadline);
        add(app.regionCode, null, { [name]: 1, [`${name}:${app.entityType}`]: 1, entitiesPending: -1, [late ? 'reviewsLate' : 'reviewsOnTime']: 1 });
        add(app.regionCode, null, { reviewsDueOpen: -1 }, cstDay(app.reviewDeadline));
        return;
      }
      case 'LotCreated': {
        const produced = d.origin.kind === 'produced';
        add(countyOfEid(d.eid), d.product, { lotsCreated: 1, [produced ? 'lotsProduced' : 'lotsReceived']: 1, ...(produced ? grams(d.quantity, 'producedQty') : {}) });
        return;
      }
      case 'MarketEntryCertified': {
        const lot = find('LotCreated', (x) => x.traceCode === d.traceCode);
        const first = !earlier.some((x) => x.type === 'MarketEntryCertified' && x.data.traceCode === d.traceCode);
        add(countyOfEid(lot.eid), lot.product, { certificates: 1, ...grams(d.quantity, 'certifiedQty'), ...(first ? { lotsCertified: 1 } : {}) });
        return;
      }
      case 'TransferInitiated': {
        add(countyOfEid(d.fromEid), d.product, { transfersInitiated: 1 });
        const traded = (id: string) => earlier.some((x) => (x.type === 'TransferInitiated' && x.data.fromEntityId === id) || (x.type === 'TransferConfirmed' && (x.data.to as any).entityId === id));
        if (!traded(d.fromEntityId)) add(find('RegistrationApplied', (x) => x.entityId === d.fromEntityId).regionCode, null, { entitiesTrading: 1 });
        return;
      }
      case 'TransferConfirmed': {
        const lot = find('LotCreated', (x) => x.traceCode === d.fromTraceCode);
        add(countyOfEid(lot.eid), d.product, { transfersConfirmed: 1, ...grams(d.quantity, 'transferredQty') });
        const traded = earlier.some((x) => (x.type === 'TransferInitiated' && x.data.fromEntityId === d.to.entityId) || (x.type === 'TransferConfirmed' && (x.data.to as any).entityId === d.to.entityId));
        if (!traded) add(find('RegistrationApplied', (x) => x.entityId === d.to.entityId).regionCode, null, { entitiesTrading: 1 });
        return;
      }
      case 'TransferRejected': {
        const lot = find('LotCreated', (x) => x.traceCode === d.fromTraceCode);
        add(countyOfEid(lot.eid), lot.product, { transfersRejected: 1 });
        return;
      }
      case 'SampleTaken':
        add(d.subject.regionCode, d.product, { samples: 1, [`samples:${d.taskKind}`]: 1 });
        return;
      case 'ResultRecorded': {
        const c: Record<string, number> = { results: 1, [`results:${d.verdict}`]: 1 };
        for (const o of d.outcomes) {
          c[`analyteTested:${o.code}`] = (c[`analyteTested:${o.code}`] ?? 0) + 1;
          if (o.verdict !== 'inconclusive') c[`analyte${o.verdict === 'pass' ? 'Pass' : 'Fail'}:${o.code}`] = (c[`analyte${o.verdict === 'pass' ? 'Pass' : 'Fail'}:${o.code}`] ?? 0) + 1;
        }
        add(d.subject.regionCode, d.product, c);
        return;
      }
      case 'WarningRaised': {
        const l = d.rule.level;
        add(d.subject.regionCode, d.subject.product, { warningsRaised: 1, [`warningsRaised:${l}`]: 1, warningsOpen: 1, [`warningsOpen:${l}`]: 1, 'warningState:raised': 1 });
        return;
      }
      case 'WarningAcknowledged':
      case 'WarningClosed': {
        const w = find('WarningRaised', (x) => x.warningId === d.warningId);
        const before = earlier.filter((x) => x.data.warningId === d.warningId).map((x) => x.type);
        const state = before.includes('WarningClosed') ? 'closed' : before.includes('WarningAcknowledged') ? 'acknowledged' : 'raised';
        const next = e.type === 'WarningAcknowledged' ? 'acknowledged' : 'closed';
        if (state === 'closed' || state === next) return;
        add(w.subject.regionCode, w.subject.product, {
          [e.type === 'WarningAcknowledged' ? 'warningsAcknowledged' : 'warningsClosed']: 1,
          [`warningState:${state}`]: -1,
          [`warningState:${next}`]: 1,
          ...(next === 'closed' ? { warningsOpen: -1, [`warningsOpen:${w.rule.level}`]: -1 } : {}),
        });
        return;
      }
    }
  });
  return out;
}

function inPeriod(bucket: StatsBucket, day: string): boolean {
  return bucket.grain === 'all' || (bucket.grain === 'month' ? day.slice(0, 7) === bucket.period : day === bucket.period);
}
/** A place lies inside a region prefix ('' the country); '460000'-style codes never occur in the generated log. */
const within = (place: string, region: string) => place.startsWith(region);

function recount(all: Contribution[], bucket: StatsBucket): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const c of all) {
    if (!within(c.place, bucket.region) || !inPeriod(bucket, c.day)) continue;
    if (bucket.product !== ALL_PRODUCTS && c.product !== bucket.product) continue;
    for (const [k, v] of Object.entries(c.counters)) sum[k] = (sum[k] ?? 0) + v;
  }
  for (const k of Object.keys(sum)) if (sum[k] === 0) delete sum[k];
  return sum;
}

function addCounters(into: Record<string, number>, c: Record<string, number>) {
  for (const [k, v] of Object.entries(c)) into[k] = (into[k] ?? 0) + v;
  for (const k of Object.keys(into)) if (into[k] === 0) delete into[k];
}


describe('statistics: a brute-force recount of the log', () => {
  it('every stored bucket equals the recount, and the finest buckets of every event exist', async () => {
    await fc.assert(
      fc.asyncProperty(logArb, async ([actions, steps, batchSize]) => {
        const log = buildLog(actions, steps);
        const docs = collection(await fold(log, batchSize), 'stats');
        const all = contributions(log);
        // A counter that netted to 0 is stored as 0 (increments add in place) and reads as absent.
        for (const doc of docs.values()) expect(nonZero(doc.c as Record<string, number>)).toEqual(recount(all, doc as unknown as StatsBucket));
        // Nothing counted is missing: the national all-time bucket holds every contribution.
        const national = docs.get('all:all||*');
        const everything = recount(all, { grain: 'all', period: 'all', region: '', product: ALL_PRODUCTS } as StatsBucket);
        expect(nonZero((national?.c as Record<string, number>) ?? {})).toEqual(everything);
      }),
      { numRuns: 60 },
    );
  });

  it('the tree adds up: a region = the sum of its sub-regions + what is located at it (none above county level; in 460202 samples and warnings by township), a month = the sum of its days', async () => {
    await fc.assert(
      fc.asyncProperty(logArb, async ([actions, steps, batchSize]) => {
        const log = buildLog(actions, steps);
        const docs = [...collection(await fold(log, batchSize), 'stats').values()] as unknown as (StatsBucket & ReadDoc)[];
        const all = contributions(log);
        const children = new Map<string, Record<string, number>>();
        for (const d of docs) {
          if (d.parent === null) continue;
          const key = `${d.grain}:${d.period}|${d.parent}|${d.product}`;
          addCounters(children.get(key) ?? children.set(key, {}).get(key)!, d.c);
        }
        for (const d of docs) {
          const sum = { ...(children.get(d._id) ?? {}) };
          if (d.region.length >= 6) addCounters(sum, recount(all.filter((c) => c.place === d.region), d));
          else expect(all.some((c) => c.place === d.region)).toBe(false);
          expect(sum).toEqual(nonZero(d.c));
          if (d.grain === 'month') {
            const days: Record<string, number> = {};
            for (const x of docs) if (x.grain === 'day' && x.region === d.region && x.product === d.product && x.period.startsWith(d.period)) addCounters(days, x.c);
            expect(days).toEqual(nonZero(d.c));
          }
        }
        // Township buckets exist where records carry township codes, and only there.
        expect(docs.filter((d) => d.level === 4).every((d) => d.region.startsWith('460202'))).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});
