/**
 * The verifiable-history figures of issue 18 (decision 0018):
 *
 *   node -r ./bench/support/swc-register.js bench/verifiable-history.ts [--events 100000] [--chain 1000] [--runs 50] [--skip-50k] [--dump-export FILE]
 *
 * The ledger: generated in-process, the size and shape of bench/generator's S (≈100,000 events, 400
 * entities registered with the catalog's payloads, supply chains of produced lots split by transfers:
 * LotCreated, LotInspected, LotReserved, TransferInitiated, TransferConfirmed and the child LotCreated),
 * appended through the Ledger (hash chains and envelopes as in production) into the embedded SQLite stores,
 * not through HTTP: the S ingest through the server takes minutes of argon2 and batch handling that measure
 * nothing here. A 1,000-lot chain (L0 → L1 → … → L999, each lot received from the previous by a transfer) is
 * interleaved with that traffic, so its events sit all over the log as they would.
 *
 * Measured: (1) sealing — the tree built from nothing over the whole ledger, then an increment of 10,000
 * events, per event; (2) verification of the whole ledger as an export (`verifyExport`: every event
 * re-hashed and chained, every tree head's roots and stream map recomputed, with the commitment seed; and the same
 * ledger as an export of format 2, which carries each event's hashed text; `--dump-export FILE` writes the format-1
 * export, to profile the verifier alone or time it from the file with bench/verify-export-file.ts);
 * (3) proof-bundle generation for the 1,000-lot chain (buildProofBundle, cold caches and warm, full and
 * redacted; and a running server's first request for each of ~1,000-lot chains at the tree head), p50/p99; (4) the tree head's size after seals that touched 10, 1,000 and 50,000 new streams.
 * Results: bench/results/verifiable-history-<date>.json and a section appended to
 * bench/verifiable-history-results.md (machine, date, load average).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { eventsInRange } from '../application/audit/checkpoints';
import { EXPORT_FORMAT, verifyExport } from '../application/audit/export-verifier';
import { toExportV2 } from '../application/audit/export-v2';
import { LogTree } from '../application/audit/log-tree';
import { buildProofBundle, proofBundleJson } from '../application/audit/proof-bundle';
import { readTreeHeads, sealTreeHead } from '../application/audit/tree-heads';
import type { SignedTreeHead } from '../application/audit/tree-head';
import { GENESIS_HASH } from '../application/ledger/event-hash';
import { Ledger } from '../application/ledger/ledger';
import { SYSTEM_ACTOR } from '../domain/shared/actor';
import { SqliteEventStore } from '../infrastructure/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../infrastructure/sqlite/sqlite-read-store';
import { ed25519Signer, generateEd25519PrivateKeyPem } from '../infrastructure/system/ed25519-signer';
import { systemIds } from '../infrastructure/system/system-clock';
import { PRODUCTS, randomCounty, registrationPayload, TIERS } from './generator/catalog';
import { Prng } from './generator/prng';
import { machineInfo, machineLoad } from './lib/machine';
import { now, summarize } from './lib/stats';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { verifyBundle } = require('../tools/suyuan-verify/verify.js');

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const EVENTS = arg('events', 100_000);
const CHAIN = arg('chain', 1_000);
const RUNS = arg('runs', 50);
const ENTITIES = 400;
const STREAM_COUNTS = process.argv.includes('--skip-50k') ? [10, 1_000] : [10, 1_000, 50_000];
const COMMIT_STREAMS = 500;
const GOALS = { verifyEventsPerSecond: 100_000, bundleP99Ms: 200, sealMicrosPerEvent: 5 };

/** CPU time (user + system) of this process in ms: on a loaded machine the wall clock also counts others' work. */
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const log = (msg: string) => process.stderr.write(`[verifiable-history ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

async function main(): Promise<void> {
  const loadBefore = machineLoad();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-vh-bench-'));
  const store = new SqliteEventStore(path.join(dir, 'events.sqlite'));
  const reads = new SqliteReadStore(path.join(dir, 'read-models.sqlite'));
  const ledger = new Ledger(store, { now: () => new Date() }, systemIds);
  const signer = ed25519Signer(generateEd25519PrivateKeyPem());
  const seed = Buffer.alloc(32, 7);
  const rng = new Prng(20261201);

  // --- The ledger ------------------------------------------------------------------------------------
  const heads = new Map<string, { revision: number; lastHash: string }>();
  let pending: { streamId: string; events: { type: string; data: Record<string, unknown> }[] }[] = [];
  let commands = 0;
  let appended = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const writes = pending.map((p) => {
      const h = heads.get(p.streamId);
      return { stream: { streamId: p.streamId, revision: h ? h.revision : ('no_stream' as const), lastHash: h ? h.lastHash : GENESIS_HASH }, events: p.events };
    });
    pending = [];
    const res = await ledger.commit(writes, { commandId: `system:vh-bench-${++commands}`, actor: { ...SYSTEM_ACTOR, userId: 'u-bench' } });
    for (const e of res.events) heads.set(e.streamId, { revision: e.revision, lastHash: e.hash });
    appended += res.events.length;
  };
  /** Events of one stream in one command; a stream already pending is flushed first (one write per stream). */
  const add = async (streamId: string, events: { type: string; data: Record<string, unknown> }[]) => {
    if (pending.some((p) => p.streamId === streamId)) await flush();
    pending.push({ streamId, events });
    if (pending.length >= COMMIT_STREAMS) await flush();
  };
  const today = new Date().toISOString().slice(0, 10);
  const at = new Date().toISOString();
  const entities: { entityId: string; eid: string; base: Record<string, unknown>; products: string[] }[] = [];
  for (let n = 0; n < ENTITIES; n++) {
    const county = randomCounty(rng);
    const body = registrationPayload(rng, n, rng.pick(TIERS), county);
    const entityId = `ent-${n}`;
    const eid = `E${String(n).padStart(8, '0')}`;
    await add(`entity-${entityId}`, [
      { type: 'RegistrationApplied', data: { entityId, ...body, appliedAt: at, reviewDeadline: at } },
      { type: 'RegistrationApproved', data: { entityId, eid, approvedBy: 'u-county', approvedAt: at } },
    ]);
    const b = body.bases[0]!;
    entities.push({ entityId, eid, base: { baseId: b.baseId, name: b.name, regionCode: b.regionCode, lat: b.lat, lon: b.lon }, products: body.products });
  }
  const lotCreated = (code: string, e: (typeof entities)[number], amount: number, origin: Record<string, unknown>, product: string) => ({
    type: 'LotCreated',
    data: { traceCode: code, entityId: e.entityId, eid: e.eid, entityName: e.entityId, product, quantity: { amount, unit: 'kg' }, productionDate: today, base: e.base, origin, createdAt: at },
  });
  let lots = 0;
  let transfers = 0;
  const open: { code: string; entity: (typeof entities)[number]; amount: number; product: string }[] = [];
  /** A transfer of part of a lot to another entity: reservation, the transfer's two events, the child lot. */
  const split = async (from: (typeof open)[number], code: string, to: (typeof entities)[number], amount: number) => {
    const transferId = `tr-${++transfers}`;
    await add(`lot-${from.code}`, [{ type: 'LotReserved', data: { transferId, quantity: { amount, unit: 'kg' }, to: { kind: 'registered', eid: to.eid }, reservedAt: at } }]);
    await add(`transfer-${transferId}`, [
      { type: 'TransferInitiated', data: { transferId, fromTraceCode: from.code, fromEntityId: from.entity.entityId, to: { kind: 'registered', eid: to.eid, entityId: to.entityId }, quantity: { amount, unit: 'kg' }, initiatedAt: at } },
      { type: 'TransferConfirmed', data: { transferId, fromTraceCode: from.code, childTraceCode: code, quantity: { amount, unit: 'kg' }, confirmedBy: `u-${to.entityId}`, confirmedAt: at } },
    ]);
    await add(`lot-${code}`, [lotCreated(code, to, amount, { kind: 'transfer', transferId, parentTraceCode: from.code, fromEntityId: from.entity.entityId }, from.product)]);
    return { code, entity: to, amount, product: from.product };
  };
  let chainTip: (typeof open)[number] | null = null;
  const chainEvery = Math.max(1, Math.floor((EVENTS * 0.8) / 4 / CHAIN));
  let steps = 0;
  const t0 = now();
  while (appended + pending.reduce((n, p) => n + p.events.length, 0) < EVENTS) {
    steps++;
    // The 1,000-lot chain advances one lot every few steps, among the other traffic.
    if (steps % chainEvery === 0 && (chainTip === null || Number(chainTip.code.slice(1)) < CHAIN - 1)) {
      if (!chainTip) {
        const e = entities[0]!;
        await add('lot-L0', [lotCreated('L0', e, 1_000_000, { kind: 'produced' }, '豇豆')]);
        chainTip = { code: 'L0', entity: e, amount: 1_000_000, product: '豇豆' };
      } else chainTip = await split(chainTip, `L${Number(chainTip.code.slice(1)) + 1}`, entities[rng.int(entities.length)]!, chainTip.amount - 1);
      continue;
    }
    if (open.length < 64 || rng.next() < 0.35) {
      const e = entities[rng.int(entities.length)]!;
      const code = `P${++lots}`;
      const product = rng.pick(e.products.length ? e.products : [PRODUCTS[0]!.name]);
      const amount = rng.between(500, 20_000);
      await add(`lot-${code}`, [
        lotCreated(code, e, amount, { kind: 'produced' }, product),
        { type: 'LotInspected', data: { traceCode: code, inspection: { kind: 'self', result: 'pass', items: ['农药残留'], inspectedAt: at, inspector: `u-${e.entityId}` } } },
      ]);
      open.push({ code, entity: e, amount, product });
    } else {
      const i = rng.int(open.length);
      const from = open[i]!;
      const amount = Math.max(1, Math.floor(from.amount / 3));
      const child = await split(from, `P${++lots}`, entities[rng.int(entities.length)]!, amount);
      from.amount -= amount;
      if (from.amount < 100) open.splice(i, 1);
      if (open.length < 200) open.push(child);
    }
  }
  await flush();
  const totalEvents = await store.headPosition();
  const chainLots = chainTip ? Number(chainTip.code.slice(1)) + 1 : 0;
  log(`ledger: ${totalEvents} events, ${heads.size} streams, ${lots} other lots, chain of ${chainLots} lots (${((now() - t0) / 1000).toFixed(1)} s to append)`);

  // --- (1) Sealing ------------------------------------------------------------------------------------
  // The ledger's tree as the server opens it (createLogTree): it takes the appends the store reports
  // (observeAppends) from then on. Opened after the ledger was written, so its first seal rebuilds from the log.
  const tree = new LogTree(store, reads, seed, { observeAppends: true });
  let clock = Date.parse('2026-12-01T00:00:00Z');
  const sealClock = () => new Date((clock += 60_000));
  let s = now();
  let c = cpu();
  const firstHead = (await sealTreeHead(ledger, signer, tree, sealClock))!;
  const fullSealMs = now() - s;
  const fullSealCpu = cpu() - c;
  // An increment: 10,000 more events of the same traffic shape (entity notes and new lots), then seal.
  const before = await store.headPosition();
  // What the tree computes as the increment is appended (leaves, digests, frontier, batches written): the
  // sealing work moved off the seal, reported beside it. Absent on a tree that does not observe appends.
  const work = (tree as { appendTimeWork?: { events: number; cpuMs: number } }).appendTimeWork;
  const workBefore = work ? { ...work } : null;
  let incrementAppendCpu = cpu();
  for (let i = 0; i < 2_500; i++) {
    const e = entities[rng.int(entities.length)]!;
    const code = `Q${i}`;
    await add(`lot-${code}`, [lotCreated(code, e, 1_000, { kind: 'produced' }, '豇豆'), { type: 'LotInspected', data: { traceCode: code, inspection: { kind: 'self', result: 'pass', items: ['农药残留'], inspectedAt: at, inspector: 'u' } } }]);
    await add(`entity-${e.entityId}`, [{ type: 'EntityNoted', data: { note: `巡查${i}`, by: 'u-county', at } }, { type: 'EntityNoted', data: { note: `复查${i}`, by: 'u-county', at } }]);
  }
  await flush();
  incrementAppendCpu = cpu() - incrementAppendCpu;
  const incrementEvents = (await store.headPosition()) - before;
  s = now();
  c = cpu();
  const secondHead = (await sealTreeHead(ledger, signer, tree, sealClock))!;
  const incrementSealMs = now() - s;
  const incrementSealCpu = cpu() - c;
  const staged = work && workBefore ? { events: work.events - workBefore.events, cpuMs: work.cpuMs - workBefore.cpuMs } : { events: 0, cpuMs: 0 };
  // What part of sealing is the tree itself: the same events read back alone (SQLite + JSON), no hashing.
  s = now();
  c = cpu();
  for (let after = 0; ; ) {
    const batch = await store.readAll({ afterPosition: after, maxCount: 2_000 });
    if (batch.length === 0) break;
    after = batch[batch.length - 1]!.position;
  }
  const readAllCpu = cpu() - c;
  const readAllMs = now() - s;
  const sealing = {
    fromNothing: { events: firstHead.treeSize, ms: fullSealMs, microsPerEvent: (fullSealMs * 1000) / firstHead.treeSize, cpuMicrosPerEvent: (fullSealCpu * 1000) / firstHead.treeSize },
    increment: { events: incrementEvents, ms: incrementSealMs, microsPerEvent: (incrementSealMs * 1000) / incrementEvents, cpuMicrosPerEvent: (incrementSealCpu * 1000) / incrementEvents, streamsInMap: secondHead.streamCount },
    /** Of the increment: events the tree took from the store's reports as they were appended, and the CPU it spent on them then. */
    atAppend: { events: staged.events, cpuMicrosPerEvent: staged.events ? (staged.cpuMs * 1000) / staged.events : 0, appendCpuMicrosPerEvent: (incrementAppendCpu * 1000) / incrementEvents },
    readingAlone: { events: secondHead.treeSize, ms: readAllMs, cpuMicrosPerEvent: (readAllCpu * 1000) / secondHead.treeSize },
  };
  log(`sealing: ${sealing.fromNothing.microsPerEvent.toFixed(1)} µs/event from nothing (${firstHead.treeSize} events, ${fullSealMs.toFixed(0)} ms); increment ${sealing.increment.microsPerEvent.toFixed(1)} µs/event (${incrementEvents} events, ${incrementSealMs.toFixed(0)} ms)`);

  // --- (2) Verification of the whole ledger -----------------------------------------------------------
  // In a function of its own: the export (110k parsed events, ~0.5 GB of heap) is garbage once verified, so the
  // bundle runs below do not pay for marking it in their major collections (a server holds no export).
  const verification = await (async () => {
    const all = await eventsInRange(store, 0, await store.headPosition());
    const exp = { format: EXPORT_FORMAT, exportedAt: new Date().toISOString(), publicKeyPem: signer.publicKeyPem, keyId: signer.keyId, events: all, checkpoints: [], commitmentSeed: seed.toString('hex') };
    const dumpAt = process.argv.indexOf('--dump-export');
    if (dumpAt > 0) fs.writeFileSync(process.argv[dumpAt + 1]!, JSON.stringify(exp)); // for profiling the verifier alone
    const verifyRuns: number[] = [];
    let verdict: ReturnType<typeof verifyExport> | null = null;
    const verifyCpu: number[] = [];
    for (let r = 0; r < 3; r++) {
      s = now();
      c = cpu();
      verdict = verifyExport(exp as Parameters<typeof verifyExport>[0]);
      verifyRuns.push(now() - s);
      verifyCpu.push(cpu() - c);
    }
    if (!verdict!.ok) throw new Error(`the generated ledger does not verify: ${JSON.stringify(verdict!.firstBad)}`);
    const { commitmentSeed: _seed, ...withoutSeed } = exp;
    const withoutSeedRuns: number[] = [];
    const withoutSeedCpu: number[] = [];
    for (let r = 0; r < 3; r++) {
      s = now();
      c = cpu();
      if (!verifyExport(withoutSeed as Parameters<typeof verifyExport>[0]).ok) throw new Error('the generated ledger does not verify without the seed');
      withoutSeedRuns.push(now() - s);
      withoutSeedCpu.push(cpu() - c);
    }
    // Export format 2 (each event's hashed text carried as it is; decision 0018 §Sixth pass): the same ledger, read back
    // from its JSON text as a verifier gets it (the records' parse is not timed, as format 1's is not above).
    const v2 = JSON.parse(JSON.stringify(toExportV2(withoutSeed))) as Parameters<typeof verifyExport>[0];
    const v2Seeded = JSON.parse(JSON.stringify(toExportV2(exp))) as Parameters<typeof verifyExport>[0];
    const v2Runs: number[] = [];
    const v2Cpu: number[] = [];
    const v2SeedCpu: number[] = [];
    for (let r = 0; r < 3; r++) {
      s = now();
      c = cpu();
      if (!verifyExport(v2).ok) throw new Error('the generated ledger does not verify as a format-2 export');
      v2Runs.push(now() - s);
      v2Cpu.push(cpu() - c);
      c = cpu();
      if (!verifyExport(v2Seeded).ok) throw new Error('the generated ledger does not verify as a format-2 export with the seed');
      v2SeedCpu.push(cpu() - c);
    }
    const withoutSeedMs = Math.min(...withoutSeedRuns);
    const verifyMs = Math.min(...verifyRuns);
    const verification = {
      events: all.length,
      treeHeads: verdict!.checkpointsChecked,
      runsMs: verifyRuns,
      eventsPerSecond: all.length / (verifyMs / 1000),
      cpuEventsPerSecond: all.length / (Math.min(...verifyCpu) / 1000),
      withoutCommitmentSeedEventsPerSecond: all.length / (withoutSeedMs / 1000),
      withoutCommitmentSeedCpuEventsPerSecond: all.length / (Math.min(...withoutSeedCpu) / 1000),
      v2: {
        eventsPerSecond: all.length / (Math.min(...v2Runs) / 1000),
        cpuEventsPerSecond: all.length / (Math.min(...v2Cpu) / 1000),
        withCommitmentSeedCpuEventsPerSecond: all.length / (Math.min(...v2SeedCpu) / 1000),
      },
    };
    return verification;
  })();
  log(`verification: ${Math.round(verification.eventsPerSecond).toLocaleString()} events/s (best of 3, ${Math.min(...verification.runsMs).toFixed(0)} ms); without the commitment seed ${Math.round(verification.withoutCommitmentSeedEventsPerSecond).toLocaleString()} events/s; export format 2 ${Math.round(verification.v2.eventsPerSecond).toLocaleString()} events/s`);

  // --- (3) Bundle generation for the 1,000-lot chain --------------------------------------------------
  // The chain's transfers, by walking the lots' LotCreated origins (as the trace query's edges do).
  const transferIds: string[] = [];
  for (let i = 1; i < chainLots; i++) {
    const [created] = await store.readStream(`lot-L${i}`, { maxCount: 1 });
    transferIds.push((created!.data.origin as { transferId: string }).transferId);
  }
  /** The chain of lot L{tip} back to L0: its lots and the transfers between them. */
  const streamsFor = (full: boolean, tip = chainLots - 1) => [
    ...[...Array(tip + 1).keys()].map((i) => ({ streamId: `lot-L${i}`, full })),
    ...transferIds.slice(0, tip).map((t) => ({ streamId: `transfer-${t}`, full })),
  ];
  const heads2 = await readTreeHeads(store);
  const head: SignedTreeHead = heads2[heads2.length - 1]!;
  const request = (full: boolean, tip = chainLots - 1) => ({ traceCode: `L${tip}`, forward: false, streams: streamsFor(full, tip), treeHead: head, cosignatures: [], publicKeyPem: signer.publicKeyPem, now: new Date() });
  const bundleRuns = async (full: boolean, cold: boolean) => {
    const samples: number[] = [];
    const cpuSamples: number[] = [];
    let size = 0;
    let events = 0;
    let warmTree = new LogTree(store, reads, seed);
    for (let r = 0; r < RUNS; r++) {
      const t = cold ? new LogTree(store, reads, seed) : warmTree;
      const start = now();
      const c0 = cpu();
      const b = await buildProofBundle(store, t, seed, request(full));
      const json = proofBundleJson(b); // what GET /trace/{code}/proof sends
      samples.push(now() - start);
      cpuSamples.push(cpu() - c0);
      size = json.length;
      events = b.streams.reduce((n, x) => n + x.events.length, 0);
      if (r === 0 && !verifyBundle(b, { publicKeyPem: signer.publicKeyPem }).ok) throw new Error('the bundle does not verify');
      warmTree = t;
    }
    return { ...summarize(samples), cpu: summarize(cpuSamples), bytes: size, events, streams: streamsFor(full).length };
  };
  /**
   * A running server's first request for a chain at a tree head: the ledger's own tree (loaded, its map built
   * at the seal), after one bundle was served, each run for the chain of another lot (L998, L997, …: 999 to
   * ~990 lots, so nothing comes from the bundle cache). The cold runs above are a restarted process instead.
   */
  const serverRuns = async (full: boolean) => {
    const samples: number[] = [];
    const cpuSamples: number[] = [];
    let events = 0;
    proofBundleJson(await buildProofBundle(store, tree, seed, request(full)));
    for (let r = 0; r < RUNS; r++) {
      const tip = chainLots - 2 - (r % (chainLots - 1));
      const start = now();
      const c0 = cpu();
      const b = await buildProofBundle(store, tree, seed, request(full, tip));
      proofBundleJson(b);
      samples.push(now() - start);
      cpuSamples.push(cpu() - c0);
      events = b.streams.reduce((n, x) => n + x.events.length, 0);
    }
    return { ...summarize(samples), cpu: summarize(cpuSamples), events, streams: streamsFor(full, chainLots - 2).length };
  };
  const bundles = {
    serverFull: await serverRuns(true),
    serverRedacted: await serverRuns(false),
    fullCold: await bundleRuns(true, true),
    fullWarm: await bundleRuns(true, false),
    redactedCold: await bundleRuns(false, true),
    redactedWarm: await bundleRuns(false, false),
    verifyMs: 0,
  };
  {
    const b = await buildProofBundle(store, tree, seed, request(false));
    s = now();
    verifyBundle(b, { publicKeyPem: signer.publicKeyPem });
    bundles.verifyMs = now() - s;
  }
  log(`bundles (${bundles.fullCold.streams} streams, ${bundles.fullCold.events} events, ${(bundles.fullCold.bytes / 1e6).toFixed(1)} MB full): p99 full cold ${bundles.fullCold.p99.toFixed(0)} ms, warm ${bundles.fullWarm.p99.toFixed(0)} ms; redacted cold ${bundles.redactedCold.p99.toFixed(0)} ms, warm ${bundles.redactedWarm.p99.toFixed(0)} ms; verify ${bundles.verifyMs.toFixed(0)} ms`);

  // --- (4) Tree-head size vs streams touched -----------------------------------------------------------
  const checkpointSizes: { streamsTouched: number; eventBytes: number; signedBodyBytes: number; sealMs: number; streamCount: number }[] = [];
  for (const n of STREAM_COUNTS) {
    for (let i = 0; i < n; i++) await add(`touch-${n}-${i}`, [{ type: 'Touched', data: { i } }]);
    await flush();
    s = now();
    const h = (await sealTreeHead(ledger, signer, tree, sealClock))!;
    const sealMs = now() - s;
    const [event] = await store.readStream('ledger-checkpoints', { direction: 'backwards', maxCount: 1 });
    const { keyId: _k, signature: _sig, lastPosition: _l, streamMapFormat: _f, ...body } = h; // what the signature covers
    checkpointSizes.push({ streamsTouched: n, eventBytes: Buffer.byteLength(JSON.stringify(event)), signedBodyBytes: Buffer.byteLength(JSON.stringify(body)), sealMs, streamCount: h.streamCount });
    log(`seal after touching ${n} streams: tree-head event ${Buffer.byteLength(JSON.stringify(event))} bytes, seal ${sealMs.toFixed(0)} ms (map of ${h.streamCount} streams)`);
  }

  await reads.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });

  // --- Report ------------------------------------------------------------------------------------------
  const machine = machineInfo();
  const loadAfter = machineLoad();
  const result = { machine, loadBefore, loadAfter, dataset: { events: totalEvents, streams: heads.size, entities: ENTITIES, chainLots, generated: 'in-process, S-sized (see bench/verifiable-history.ts)' }, sealing, verification, bundles, checkpointSizes, goals: GOALS };
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  const jsonFile = path.join(__dirname, 'results', `verifiable-history-${machine.date.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(jsonFile, JSON.stringify(result, null, 2));
  const pass = (ok: boolean) => (ok ? 'met' : '**missed**');
  const f0 = (v: number) => Math.round(v).toLocaleString('en-US');
  const lines = [
    `## ${machine.date} — verifiable history (issue 18)`,
    '',
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGiB} GiB, Node ${machine.node}, SQLite ${machine.sqlite}, commit ${machine.commit}${machine.dirty ? ' (dirty tree)' : ''}. Load average before ${loadBefore.loadavg}, after ${loadAfter.loadavg}${loadBefore.busy.length ? `; busy before: ${loadBefore.busy.join('; ')}` : ''}.`,
    `Ledger: ${f0(totalEvents)} events in ${f0(heads.size)} streams, generated in-process with S's size and entity count (${ENTITIES} entities with the catalog's registration payloads, supply chains of lots and transfers), a ${chainLots}-lot chain interleaved. Raw figures: \`${path.relative(path.join(__dirname, '..'), jsonFile)}\`.`,
    '',
    '| measure | figure | goal | |',
    '|---|---|---|---|',
    `| verification of the whole ledger: hash chains, tree heads, stream maps (verifyExport without the commitment seed; best of 3) | ${f0(verification.withoutCommitmentSeedEventsPerSecond)} events/s wall, ${f0(verification.withoutCommitmentSeedCpuEventsPerSecond)} per CPU-second | ≥ ${f0(GOALS.verifyEventsPerSecond)} | ${pass(verification.withoutCommitmentSeedCpuEventsPerSecond >= GOALS.verifyEventsPerSecond)} (CPU) |`,
    `| — and the commitment log too (with the commitment seed, as national exports carry it; best of 3) | ${f0(verification.eventsPerSecond)} events/s wall, ${f0(verification.cpuEventsPerSecond)} per CPU-second | | ${pass(verification.cpuEventsPerSecond >= GOALS.verifyEventsPerSecond)} (CPU) |`,
    `| the same verification of an export in format 2 (\`suyuan-ledger-export/2\`: each event's hashed text carried; without the seed; best of 3) | ${f0(verification.v2.eventsPerSecond)} events/s wall, ${f0(verification.v2.cpuEventsPerSecond)} per CPU-second | ≥ ${f0(GOALS.verifyEventsPerSecond)} | ${pass(verification.v2.cpuEventsPerSecond >= GOALS.verifyEventsPerSecond)} (CPU) |`,
    `| — format 2 with the commitment seed | ${f0(verification.v2.withCommitmentSeedCpuEventsPerSecond)} per CPU-second | | |`,
    `| bundle generation, ${bundles.fullCold.streams} streams / ${f0(bundles.fullCold.events)} events, full, cold caches (a tree opened anew each run: a restarted process): p50 / p99 | ${bundles.fullCold.p50.toFixed(0)} / ${bundles.fullCold.p99.toFixed(0)} ms wall, CPU ${bundles.fullCold.cpu.p50.toFixed(0)} / ${bundles.fullCold.cpu.p99.toFixed(0)} ms (${(bundles.fullCold.bytes / 1e6).toFixed(1)} MB) | p99 ≤ ${GOALS.bundleP99Ms} ms | ${pass(bundles.fullCold.p99 <= GOALS.bundleP99Ms)} |`,
    `| — a running server's first request for a chain at the tree head (its own tree, another lot's chain each run), full: p50 / p99 | ${bundles.serverFull.p50.toFixed(0)} / ${bundles.serverFull.p99.toFixed(0)} ms wall, CPU ${bundles.serverFull.cpu.p50.toFixed(0)} / ${bundles.serverFull.cpu.p99.toFixed(0)} ms (~${f0(bundles.serverFull.events)} events) | p99 ≤ ${GOALS.bundleP99Ms} ms | ${pass(bundles.serverFull.p99 <= GOALS.bundleP99Ms)} (wall), ${pass(bundles.serverFull.cpu.p99 <= GOALS.bundleP99Ms)} (CPU) |`,
    `| — the same, redacted | ${bundles.serverRedacted.p50.toFixed(0)} / ${bundles.serverRedacted.p99.toFixed(0)} ms wall, CPU ${bundles.serverRedacted.cpu.p50.toFixed(0)} / ${bundles.serverRedacted.cpu.p99.toFixed(0)} ms | | ${pass(bundles.serverRedacted.p99 <= GOALS.bundleP99Ms)} (wall), ${pass(bundles.serverRedacted.cpu.p99 <= GOALS.bundleP99Ms)} (CPU) |`,
    `| — full, warm | ${bundles.fullWarm.p50.toFixed(0)} / ${bundles.fullWarm.p99.toFixed(0)} ms wall, CPU ${bundles.fullWarm.cpu.p50.toFixed(0)} / ${bundles.fullWarm.cpu.p99.toFixed(0)} ms | | ${pass(bundles.fullWarm.p99 <= GOALS.bundleP99Ms)} |`,
    `| — redacted, cold / warm p99 | ${bundles.redactedCold.p99.toFixed(0)} / ${bundles.redactedWarm.p99.toFixed(0)} ms wall, CPU ${bundles.redactedCold.cpu.p99.toFixed(0)} / ${bundles.redactedWarm.cpu.p99.toFixed(0)} ms (${(bundles.redactedCold.bytes / 1e6).toFixed(1)} MB) | | ${pass(bundles.redactedCold.p99 <= GOALS.bundleP99Ms)} |`,
    `| verifying that redacted bundle (suyuan-verify) | ${bundles.verifyMs.toFixed(0)} ms | | |`,
    `| sealing from nothing (${f0(sealing.fromNothing.events)} events) | ${sealing.fromNothing.microsPerEvent.toFixed(1)} µs/event wall, ${sealing.fromNothing.cpuMicrosPerEvent.toFixed(1)} CPU (${f0(sealing.fromNothing.ms)} ms) | ≤ ${GOALS.sealMicrosPerEvent} µs | ${pass(sealing.fromNothing.microsPerEvent <= GOALS.sealMicrosPerEvent)} |`,
    `| sealing an increment (${f0(sealing.increment.events)} events, map of ${f0(sealing.increment.streamsInMap)} streams) | ${sealing.increment.microsPerEvent.toFixed(1)} µs/event wall, ${sealing.increment.cpuMicrosPerEvent.toFixed(1)} CPU (${f0(sealing.increment.ms)} ms) | ≤ ${GOALS.sealMicrosPerEvent} µs | ${pass(sealing.increment.microsPerEvent <= GOALS.sealMicrosPerEvent)} |`,
    `| — computed as the increment was appended (${f0(sealing.atAppend.events)} events taken from the store's reports; off the seal, not in the figure above) | ${sealing.atAppend.cpuMicrosPerEvent.toFixed(1)} CPU µs/event (the whole append loop: ${sealing.atAppend.appendCpuMicrosPerEvent.toFixed(1)}) | | |`,
    `| — of which reading the events back alone (SQLite + JSON.parse, ${f0(sealing.readingAlone.events)} events) | ${sealing.readingAlone.cpuMicrosPerEvent.toFixed(1)} CPU µs/event | | |`,
    ...checkpointSizes.map((c) => `| tree head after touching ${f0(c.streamsTouched)} new streams (map of ${f0(c.streamCount)}) | event ${c.eventBytes} bytes, signed body ${c.signedBodyBytes} bytes; seal ${c.sealMs.toFixed(0)} ms | independent of streams | ${pass(c.eventBytes - checkpointSizes[0]!.eventBytes < 64)} |`),
    '',
  ];
  fs.appendFileSync(path.join(__dirname, 'verifiable-history-results.md'), lines.join('\n') + '\n');
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
