import type { RecordedEvent } from '../../application/ports/event-store';
import { verifyExport, type LedgerExport } from '../../application/audit/export-verifier';
import { call, PLATFORM } from './client';
import { accept, acceptBatch, type SentBatch, type SentCommand } from './load';

/**
 * After the restart: every command cut by the kill is sent again with its key (it either committed — the
 * answer says duplicate:true — or it runs now); then EVERY command of the cycle is sent once more and must
 * answer duplicate:true with the answer it first had (exactly once, by its key); then the ledger (the
 * audit export: every event and signed checkpoint) is held against the list.
 */
export interface Tally {
  acknowledged: number;
  resent: number;
  committedUnanswered: number;
  lost: string[];
  duplicated: string[];
  halfApplied: string[];
  jobEffects: { resolvedFaults: number; integrityChecks: number; missing: string[]; twice: string[] };
  ledgerOk: boolean;
  checkpoints: number;
  events: number;
}

export async function resendUnanswered(base: string, commands: SentCommand[], batches: SentBatch[]): Promise<{ resent: number; committedUnanswered: number }> {
  let resent = 0;
  let committedUnanswered = 0;
  for (const cmd of commands.filter((c) => !c.result)) {
    resent++;
    accept(cmd, await call(base, 'POST', cmd.path, { ...cmd.headers, 'Idempotency-Key': cmd.key }, cmd.body));
    if (cmd.result!.duplicate === true) {
      cmd.committedUnanswered = true;
      committedUnanswered++;
    }
  }
  for (const batch of batches.filter((b) => !b.results)) {
    resent += batch.items.length;
    acceptBatch(batch, await call(base, 'POST', '/api/v1/batch', PLATFORM, { commands: batch.items }));
    committedUnanswered += batch.results!.filter((r) => r.duplicate).length;
  }
  return { resent, committedUnanswered };
}

/** The same key again: duplicate:true and the same answer, or the command ran twice. */
export async function retryAll(base: string, commands: SentCommand[], batches: SentBatch[]): Promise<string[]> {
  const duplicated: string[] = [];
  const same = (a: Record<string, unknown>, b: Record<string, unknown>) => JSON.stringify({ ...a, duplicate: null }) === JSON.stringify({ ...b, duplicate: null });
  for (const cmd of commands) {
    const again = await call(base, 'POST', cmd.path, { ...cmd.headers, 'Idempotency-Key': cmd.key }, cmd.body);
    if (again.status >= 300 || again.body.duplicate !== true || !same(again.body, cmd.result!)) duplicated.push(`${cmd.key}: retry answered ${again.status} ${JSON.stringify(again.body).slice(0, 200)}`);
  }
  for (const batch of batches) {
    const again = await call(base, 'POST', '/api/v1/batch', PLATFORM, { commands: batch.items });
    batch.items.forEach((item, i) => {
      const r = again.body?.results?.[i];
      if (!r || r.status !== 'ok' || r.duplicate !== true || JSON.stringify(r.result) !== JSON.stringify(batch.results![i]!.result))
        duplicated.push(`${item.commandId}: batch retry answered ${JSON.stringify(r).slice(0, 200)}`);
    });
  }
  return duplicated;
}

/** Waits until every resolved fault's integrity-check job has recorded its result (the job effect checked). */
export async function awaitIntegrityChecks(base: string, faultIds: string[], timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const id of faultIds) {
    for (;;) {
      const res = await call(base, 'GET', `/api/v1/audit/streams/fault-${id}`, PLATFORM);
      if (res.status === 200 && (res.body.events as RecordedEvent[]).some((e) => e.type === 'FaultIntegrityChecked')) break;
      if (Date.now() > deadline) return; // reported as missing by checkLedger
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

interface Expected {
  key: string;
  /** Streams the command must have written, all in one append; the first one carries the result. */
  streams: string[];
  /** The type of its event in the first stream (default: the stream's first event, which it created). */
  eventType?: string;
}

/** What each answered command must have left in the ledger, from its answer. */
function expectations(commands: SentCommand[], batches: SentBatch[]): Expected[] {
  const out: Expected[] = [];
  for (const c of commands) {
    const r = c.result!;
    if (c.kind === 'lot') out.push({ key: c.key, streams: [`lot-${String(r.traceCode)}`] });
    if (c.kind === 'ship') out.push({ key: c.key, streams: [`transfer-${String(r.transferId)}`, `lot-${c.fromTraceCode}`] });
    if (c.kind === 'confirm') out.push({ key: c.key, streams: [`lot-${String(r.childTraceCode)}`, `transfer-${c.transferId}`, `lot-${c.fromTraceCode}`] });
    if (c.kind === 'fault') out.push({ key: c.key, streams: [`fault-${String(r.faultId)}`] });
    if (c.kind === 'resolve') out.push({ key: c.key, streams: [`fault-${String(r.faultId)}`], eventType: 'FaultResolved' });
    if (c.kind === 'entity') out.push({ key: c.key, streams: [`entity-${String(r.entityId)}`] });
    if (c.kind === 'approve') out.push({ key: c.key, streams: [`entity-${String(r.entityId)}`], eventType: 'RegistrationApproved' });
  }
  for (const b of batches) {
    b.items.forEach((item, i) => {
      const r = b.results![i]!.result!;
      if (item.type === 'createLot') out.push({ key: item.commandId, streams: [`lot-${String(r.traceCode)}`] });
      if (item.type === 'ship') out.push({ key: item.commandId, streams: [`transfer-${String(r.transferId)}`, `lot-${String(r.fromTraceCode)}`] });
      if (item.type === 'confirmTransfer') {
        const shipped = b.results![i - 1]!.result!; // the batch's ship item just before (see CycleLoad.batchWriter)
        out.push({ key: item.commandId, streams: [`lot-${String(r.childTraceCode)}`, `transfer-${String(shipped.transferId)}`, `lot-${String(shipped.fromTraceCode)}`] });
      }
    });
  }
  return out;
}

/**
 * The ledger against the list: each answered command's streams are there, written by ONE command id whose
 * events are exactly those of one append (no stream missing: not half-applied); no client command id in the
 * ledger beyond the harness's answered commands (nothing applied twice under another id); every resolved
 * fault has exactly one integrity check; the export's hash chains and signed checkpoints verify.
 */
export function checkLedger(exp: LedgerExport, commands: SentCommand[], batches: SentBatch[], answeredBefore: number): Omit<Tally, 'acknowledged' | 'resent' | 'committedUnanswered' | 'duplicated'> & { duplicatedInLedger: string[]; clientCommands: number } {
  const byCommand = new Map<string, RecordedEvent[]>();
  const byStream = new Map<string, RecordedEvent[]>();
  for (const e of exp.events) {
    (byCommand.get(e.commandId) ?? byCommand.set(e.commandId, []).get(e.commandId)!).push(e);
    (byStream.get(e.streamId) ?? byStream.set(e.streamId, []).get(e.streamId)!).push(e);
  }
  const lost: string[] = [];
  const halfApplied: string[] = [];
  const explained = new Set<string>();
  for (const x of expectations(commands, batches)) {
    const first = byStream.get(x.streams[0]!);
    if (!first) {
      lost.push(`${x.key}: ${x.streams[0]} missing`);
      continue;
    }
    // The command's id: the one that wrote the result stream's first event (the lot, transfer or fault it
    // created), or its event of the named type (a resolve, an approval).
    const own = x.eventType ? first.filter((e) => e.type === x.eventType) : [first[0]!];
    if (own.length !== 1) {
      (own.length === 0 ? lost : halfApplied).push(`${x.key}: ${own.length} ${x.eventType} events in ${x.streams[0]}`);
      continue;
    }
    const commandId = own[0]!.commandId;
    explained.add(commandId);
    const written = new Set((byCommand.get(commandId) ?? []).map((e) => e.streamId));
    const missing = x.streams.filter((s) => !written.has(s));
    if (missing.length > 0) halfApplied.push(`${x.key}: ${missing.join(', ')} not written by its command`);
    const positions = (byCommand.get(commandId) ?? []).map((e) => e.position);
    if (Math.max(...positions) - Math.min(...positions) !== positions.length - 1) halfApplied.push(`${x.key}: its events are not one contiguous append`);
  }
  // Every client command in the ledger (ids of client keys; system jobs, the bootstrap admin and the access
  // log use their own) is one the harness holds an answer for (setup commands included).
  const clientCommands = [...byCommand.keys()].filter((id) => id.startsWith('client:')).length;
  const answered = commands.length + batches.reduce((n, b) => n + b.items.length, 0);
  const expected = answeredBefore + answered;
  const duplicatedInLedger = clientCommands > expected ? [`${clientCommands - expected} client command ids more than answered commands`] : [];
  if (process.env.FAULTS_DEBUG)
    for (const [id, es] of byCommand) if (id.startsWith('client:') && !explained.has(id)) process.stderr.write(`unexplained ${id}: ${es.map((e) => `${e.streamId} ${e.type}`).join(', ')}\n`);
  if (clientCommands < expected) lost.push(`${expected - clientCommands} answered commands have no command id in the ledger`);

  const resolved = [...byStream.entries()].filter(([id, es]) => id.startsWith('fault-') && es.some((e) => e.type === 'FaultResolved'));
  const missingChecks: string[] = [];
  const twice: string[] = [];
  let integrityChecks = 0;
  for (const [id, es] of resolved) {
    const n = es.filter((e) => e.type === 'FaultIntegrityChecked').length;
    integrityChecks += n;
    if (n === 0) missingChecks.push(id);
    if (n > 1) twice.push(`${id}: ${n} integrity checks`);
  }
  const verdict = verifyExport(exp);
  return {
    lost,
    halfApplied,
    duplicatedInLedger,
    clientCommands,
    jobEffects: { resolvedFaults: resolved.length, integrityChecks, missing: missingChecks, twice },
    ledgerOk: verdict.ok,
    checkpoints: exp.checkpoints.length,
    events: exp.events.length,
  };
}
