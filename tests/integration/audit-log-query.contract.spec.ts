import * as fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ReadModelAuditLogQuery } from '../../application/audit-log/read-model-audit-log-query';
import { KEYWORD_WINDOW, searchAuditLog } from '../../application/audit-log/search-audit-log';
import { Ledger } from '../../application/ledger/ledger';
import type { AuditLogCriteria, AuditLogQuery } from '../../application/ports/audit-log-query';
import type { Clock } from '../../application/ports/clock';
import type { ReadModels } from '../../application/ports/read-models';
import type { Actor } from '../../domain/shared/actor';
import { SqliteEventStore } from '../../infrastructure/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../../infrastructure/sqlite/sqlite-read-store';
import { SqliteSearchIndex } from '../../infrastructure/sqlite/sqlite-search-index';
import { systemIds } from '../../infrastructure/system/system-clock';
import { auditLogProjection } from '../../projections/audit-log/audit-log.projection';
import { ProjectionRunner } from '../../projections/runner/projection-runner';

/**
 * Decision 0027: the embedded stack answers the audit query from the ledger's own table, the distributed one
 * from the audit_log read model. Over one ledger, both must give the same entries for every criterion, page
 * and keyword — this is what lets the embedded stack drop the read model.
 */
const ACTORS: Actor[] = [
  { userId: 'u-hainan-1', orgId: 'org-a', role: 'producer', regionCode: '469027' },
  { userId: 'u-hainan-2', orgId: 'org-b', role: 'supervisor', regionCode: '4690' },
  { userId: 'u-hainan-3', orgId: 'org-c', role: 'lab', regionCode: '460100' },
  { userId: 'u-zhejiang', orgId: 'org-d', role: 'inspector', regionCode: '330106' },
  { userId: 'u-ministry', orgId: 'org-m', role: 'ministry-admin', regionCode: '' },
  { userId: 'u-noregion', orgId: 'org-n', role: 'auditor' },
];
const TYPES = ['LotCreated', 'LoginSucceeded', 'LoginFailed', 'DataAccessed', 'TransferShipped'];
const SOURCES = ['10.0.0.1', '10.0.0.2', '2001:db8::7'];
const WORDS = ['黄皮', '荔枝', 'mango', 'Durian', '海南', '42'];
const START = Date.parse('2026-11-01T00:00:00.000Z');

describe('the audit query: the ledger table (embedded) and the audit_log read model (distributed) agree', () => {
  let dir: string;
  let events: SqliteEventStore;
  let reads: SqliteReadStore;
  let search: SqliteSearchIndex;
  let runner: ProjectionRunner;
  let embedded: AuditLogQuery;
  let smallProbe: AuditLogQuery;
  let readModel: AuditLogQuery;
  const ids: string[] = [];
  const times: string[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-audit-contract-'));
    events = new SqliteEventStore(path.join(dir, 'events.sqlite'));
    reads = new SqliteReadStore(path.join(dir, 'read-models.sqlite'));
    search = new SqliteSearchIndex(path.join(dir, 'search.sqlite'));
    let t = START;
    const clock: Clock = { now: () => new Date(t) };
    const ledger = new Ledger(events, clock, systemIds);
    // A deterministic mix: every actor, type and source, Chinese and Latin payloads, nested and numeric values,
    // a non-string `source` (which must not count as one), several events per stream, and recordedAt ties.
    for (let i = 0; i < 400; i++) {
      t += i % 7 === 0 ? 0 : 60_000 * (1 + (i % 5));
      const actor = ACTORS[i % ACTORS.length]!;
      const type = TYPES[(i * 3) % TYPES.length]!;
      const stream = `lot-${(i * 7) % 90}`;
      const data: Record<string, unknown> = {
        note: `${WORDS[i % WORDS.length]} ${WORDS[(i * 5) % WORDS.length]}`,
        qty: i,
        nested: { place: i % 2 ? '乐东黎族自治县' : 'Hangzhou', tags: [WORDS[(i + 1) % WORDS.length], i % 3 === 0] },
      };
      if (type.startsWith('Login') || type === 'DataAccessed') data.source = SOURCES[i % SOURCES.length];
      if (i % 50 === 3) data.source = { address: SOURCES[0] };
      const [last] = await events.readStream(stream, { direction: 'backwards', maxCount: 1 });
      const at = last ? { streamId: stream, revision: last.revision, lastHash: last.hash } : ledger.fresh(stream);
      await ledger.commit([{ stream: at, events: [{ type, data }] }], { commandId: `contract-${i}`, actor });
      times.push(new Date(t).toISOString());
    }
    // A development ledger's account event with a password hash (schema version 1): upcast away in both.
    await ledger.commit([{ stream: ledger.fresh('account-legacy'), events: [{ type: 'AccountCreated', data: { accountId: 'legacy', username: 'old', passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA', role: 'auditor', regionCode: '46' } }] }], {
      commandId: 'contract-legacy',
      actor: ACTORS[0]!,
    });
    for (const e of await events.readAll({ afterPosition: 0, maxCount: 10_000 })) ids.push(e.eventId);

    runner = new ProjectionRunner(events, reads, search, [auditLogProjection], { info: () => undefined, error: () => undefined });
    await runner.start();
    expect(await runner.waitFor(await events.headPosition(), 20_000)).toBe(true);
    const models = {
      get: (c: string, id: string) => reads.get(runner.collection(c), id),
      find: (c: string, f: never, o: never) => reads.find(runner.collection(c), f, o),
      count: (c: string, f: never) => reads.count(runner.collection(c), f),
    } as unknown as ReadModels;
    readModel = new ReadModelAuditLogQuery(models);
    embedded = events.auditLog();
    // A probe of the newest 40 events (the default's 2,000 hold this whole ledger): pages it fills and pages that
    // fall back to the indexed query both occur.
    smallProbe = events.auditLog(40);
  });

  afterAll(async () => {
    await runner.stop();
    await events.close();
    await reads.close();
    await search.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
  const criteria: fc.Arbitrary<AuditLogCriteria> = fc
    .record({
      regionPrefix: optional(fc.constantFrom('4', '46', '4690', '469027', '460100', '33', '330106', '11')),
      actorUserId: optional(fc.constantFrom(...ACTORS.map((a) => a.userId), 'u-nobody')),
      streamId: optional(fc.constantFrom('lot-0', 'lot-7', 'lot-14', 'lot-89', 'account-legacy', 'lot-none')),
      type: optional(fc.constantFrom(...TYPES, 'AccountCreated')),
      source: optional(fc.constantFrom(...SOURCES, '{"address":"10.0.0.1"}', 'nowhere')),
      recordedFrom: optional(fc.nat({ max: 399 }).map((i) => times[i]!)),
      recordedTo: optional(fc.nat({ max: 399 }).map((i) => times[i]!)),
    })
    .map((c) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as AuditLogCriteria);

  it('given the same ledger, when queried with any criteria and page, then both answer the same entries and counts', async () => {
    await fc.assert(
      fc.asyncProperty(criteria, fc.nat({ max: 60 }), fc.integer({ min: 1, max: 50 }), async (c, skip, limit) => {
        const [a, b, p] = await Promise.all([embedded.find(c, { skip, limit }), readModel.find(c, { skip, limit }), smallProbe.find(c, { skip, limit })]);
        expect(a).toEqual(b);
        expect(p).toEqual(b);
        expect(await embedded.count(c)).toBe(await readModel.count(c));
      }),
      { numRuns: 300 },
    );
  });

  it('given dense criteria (one or two filters) and shallow pages, then the newest-slice probe answers as the read model does', async () => {
    // Most generated criteria above are sparse (five or six filters), so pages rarely fill among the newest events;
    // these do, and the count of pages the small probe answered itself says the probe was taken.
    const dense: fc.Arbitrary<AuditLogCriteria> = fc.oneof(
      fc.record({ type: fc.constantFrom(...TYPES) }),
      fc.record({ regionPrefix: fc.constantFrom('4', '46', '4690') }),
      fc.record({ actorUserId: fc.constantFrom(...ACTORS.map((a) => a.userId)) }),
      fc.record({ source: fc.constantFrom(...SOURCES) }),
      fc.record({ regionPrefix: fc.constantFrom('46', '4690'), type: fc.constantFrom(...TYPES) }),
      fc.record({ recordedFrom: fc.nat({ max: 399 }).map((i) => times[i]!) }),
    );
    const head = Math.max(...(await readModel.find({}, { skip: 0, limit: 1 })).map((e) => e.position));
    let answeredByProbe = 0;
    await fc.assert(
      fc.asyncProperty(dense, fc.nat({ max: 20 }), fc.integer({ min: 1, max: 20 }), async (c, skip, limit) => {
        const [a, b, p] = await Promise.all([embedded.find(c, { skip, limit }), readModel.find(c, { skip, limit }), smallProbe.find(c, { skip, limit })]);
        expect(a).toEqual(b);
        expect(p).toEqual(b);
        // The small probe answers a page alone when the page is full and lies within the newest 40 events.
        if (skip + limit <= 40 && b.length === limit && b.every((e) => e.position > head - 40)) answeredByProbe++;
      }),
      { numRuns: 200 },
    );
    expect(answeredByProbe).toBeGreaterThan(20);
  });

  it('given criteria that match, then the answer is newest first and every entry meets every criterion', async () => {
    const c: AuditLogCriteria = { regionPrefix: '46', type: 'LoginFailed', recordedFrom: times[50]! };
    const found = await embedded.find(c, { skip: 0, limit: 500 });
    expect(found.length).toBeGreaterThan(3);
    expect(found.map((e) => e.position)).toEqual([...found.map((e) => e.position)].sort((x, y) => y - x));
    for (const e of found) {
      expect(e.regionCode.startsWith('46')).toBe(true);
      expect(e.type).toBe('LoginFailed');
      expect(e.recordedAt >= times[50]!).toBe(true);
      expect(typeof e.source).toBe('string');
    }
  });

  it('given a non-string data.source, then it is no source in either', async () => {
    expect(await embedded.count({ source: '{"address":"10.0.0.1"}' })).toBe(0);
    expect(await readModel.count({ source: '{"address":"10.0.0.1"}' })).toBe(0);
  });

  it('given any event id, then both give its entry; an unknown id is null in both', async () => {
    for (const id of [...ids.filter((_, i) => i % 37 === 0), ids[ids.length - 1]!]) expect(await embedded.entry(id)).toEqual(await readModel.entry(id));
    expect(await embedded.entry('no-such-event')).toBeNull();
    expect(await readModel.entry('no-such-event')).toBeNull();
  });

  it('given keywords (Chinese, Latin in any case, numbers, stream ids), then a keyword search gives the same page in both', async () => {
    for (const q of ['黄皮', '乐东', 'MANGO', 'durian', 'lot-7', '42', 'TransferShipped', 'nothing-like-this']) {
      for (const page of [1, 2]) {
        const [a, b] = await Promise.all([searchAuditLog(embedded, {}, { q, page, size: 20 }), searchAuditLog(readModel, {}, { q, page, size: 20 })]);
        expect(a).toEqual(b);
      }
    }
    expect((await searchAuditLog(embedded, {}, { q: '黄皮', page: 1, size: 20 })).total).toBeGreaterThan(0);
    expect(KEYWORD_WINDOW).toBeGreaterThan(ids.length); // this ledger fits in one window: every match is counted
  });

  it('given a legacy account event with a password hash, then neither keyword search finds the hash', async () => {
    for (const query of [embedded, readModel]) expect((await searchAuditLog(query, {}, { q: 'argon2id', page: 1, size: 20 })).total).toBe(0);
    expect((await searchAuditLog(embedded, { streamId: 'account-legacy' }, { page: 1, size: 20 })).total).toBe(1);
  });
});
