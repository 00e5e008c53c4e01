import { call, PLATFORM, producer, type Answer } from './client';

/**
 * The mixed load of one cycle and its bookkeeping: every command the harness sends carries a key
 * (Idempotency-Key header, or the item's commandId in a batch), and is recorded with the answer it got —
 * or none, when the kill cut it. After the restart every unanswered one is sent again with the same key,
 * so in the end every key has an answer and the ledger can be held against the list.
 */
export type Kind = 'entity' | 'approve' | 'lot' | 'ship' | 'confirm' | 'fault' | 'resolve';

export interface SentCommand {
  key: string;
  kind: Kind;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  /** The 2xx answer's body (null: no answer yet). */
  result: Record<string, unknown> | null;
  /** Answered before the kill (an acknowledged command in the sense of the durability promise). */
  ackedBeforeKill: boolean;
  /** Sent again after the restart and answered duplicate:true (it had committed; the answer was lost). */
  committedUnanswered?: boolean;
  /** For a confirm: the transfer it confirms (the result names only the child lot). */
  transferId?: string;
  /** For a ship or a confirm: the lot shipped from. */
  fromTraceCode?: string;
}

export interface BatchItem {
  commandId: string;
  type: 'createLot' | 'ship' | 'confirmTransfer';
  payload: Record<string, unknown>;
}

export interface SentBatch {
  items: BatchItem[];
  results: { status: string; duplicate?: boolean; result?: Record<string, unknown>; error?: unknown }[] | null;
  ackedBeforeKill: boolean;
}

export interface Setup {
  a: { entityId: string; eid: string };
  b: { entityId: string; eid: string };
  /** The batches' producer and receiver. */
  c: { entityId: string; eid: string };
  d: { entityId: string; eid: string };
  /** A lot of A that the transfer writer ships from (one writer per lot: no optimistic-concurrency retries). */
  shipSource: string;
}

export class CycleLoad {
  readonly commands: SentCommand[] = [];
  readonly batches: SentBatch[] = [];
  readonly reads = { ok: 0, failed: 0 };
  private stopped = false;
  private seq = 0;
  /** Set while a batch request is on the wire (the 'inside a batch' kill waits for it). */
  batchInFlight: Promise<void> | null = null;
  private batchAckListeners: (() => void)[] = [];

  constructor(
    private readonly base: string,
    private readonly setup: Setup,
    private readonly tag: string,
    private readonly productionDate: string,
  ) {}

  stop(): void {
    this.stopped = true;
  }

  /** Resolves when the next batch has been answered (the 'during a projection batch' kill). */
  nextBatchAck(): Promise<void> {
    return new Promise((resolve) => this.batchAckListeners.push(resolve));
  }

  /** The writers and the reader; each ends at the first network error (the server is gone) or at stop(). */
  run(): Promise<void>[] {
    return [this.lotWriter(), this.transferWriter(), this.batchWriter(), this.faultWriter(), this.reader()];
  }

  private key(prefix: string): string {
    return `${prefix}-${this.tag}-${++this.seq}`;
  }

  private lotBody(amount: number, entityId = this.setup.a.entityId) {
    return { entityId, baseId: 'B1', product: '豇豆', quantity: { amount, unit: 'kg' }, productionDate: this.productionDate };
  }

  /** Sends one keyed command; false when the server did not answer (the writer stops). */
  private async send(cmd: SentCommand): Promise<boolean> {
    this.commands.push(cmd);
    try {
      const answer = await call(this.base, 'POST', cmd.path, { ...cmd.headers, 'Idempotency-Key': cmd.key }, cmd.body);
      accept(cmd, answer);
      cmd.ackedBeforeKill = true;
      return true;
    } catch (err) {
      if (err instanceof HarnessError) throw err;
      return false; // cut by the kill: no answer
    }
  }

  private async lotWriter(): Promise<void> {
    let i = 0;
    while (!this.stopped) {
      const ok = await this.send({ key: this.key('lot'), kind: 'lot', path: '/api/v1/lots', headers: producer(this.setup.a.entityId), body: this.lotBody(1 + (i++ % 50)), result: null, ackedBeforeKill: false });
      if (!ok) return;
    }
  }

  /** Ship 1 kg from A to B, then B confirms: the confirm is the multi-stream command (transfer + parent + child lot). */
  private async transferWriter(): Promise<void> {
    while (!this.stopped) {
      const ship: SentCommand = {
        key: this.key('ship'),
        kind: 'ship',
        path: '/api/v1/transfers',
        headers: producer(this.setup.a.entityId),
        body: { fromTraceCode: this.setup.shipSource, quantity: { amount: 1, unit: 'kg' }, to: { kind: 'registered', eid: this.setup.b.eid } },
        result: null,
        ackedBeforeKill: false,
        fromTraceCode: this.setup.shipSource,
      };
      if (!(await this.send(ship))) return;
      const transferId = String(ship.result!.transferId);
      const confirm: SentCommand = { key: this.key('confirm'), kind: 'confirm', path: `/api/v1/transfers/${transferId}/confirm`, headers: producer(this.setup.b.entityId), body: {}, result: null, ackedBeforeKill: false, transferId, fromTraceCode: this.setup.shipSource };
      if (!(await this.send(confirm))) return;
    }
  }

  /** Batches of the platform: lots, and a lot shipped and confirmed inside the same batch ($ref). */
  private async batchWriter(): Promise<void> {
    while (!this.stopped) {
      const items: BatchItem[] = [];
      for (let i = 0; i < 6; i++) items.push({ commandId: this.key('blot'), type: 'createLot', payload: this.lotBody(10 + i, this.setup.c.entityId) });
      const lot = this.key('bsrc');
      const ship = this.key('bship');
      items.push({ commandId: lot, type: 'createLot', payload: this.lotBody(100, this.setup.c.entityId) });
      items.push({ commandId: ship, type: 'ship', payload: { fromTraceCode: { $ref: `${lot}/traceCode` }, quantity: { amount: 40, unit: 'kg' }, to: { kind: 'registered', eid: this.setup.d.eid } } });
      items.push({ commandId: this.key('bconf'), type: 'confirmTransfer', payload: { transferId: { $ref: `${ship}/transferId` } } });
      const batch: SentBatch = { items, results: null, ackedBeforeKill: false };
      this.batches.push(batch);
      let release!: () => void;
      this.batchInFlight = new Promise((r) => (release = r));
      try {
        const answer = await call(this.base, 'POST', '/api/v1/batch', PLATFORM, { commands: items });
        acceptBatch(batch, answer);
        batch.ackedBeforeKill = true;
      } catch (err) {
        if (err instanceof HarnessError) throw err;
        return; // cut by the kill: no answer
      } finally {
        this.batchInFlight = null;
        release();
      }
      for (const l of this.batchAckListeners.splice(0)) l();
    }
  }

  /** Report a fault and resolve it: the resolve schedules the integrity-check job whose effect is checked. */
  private async faultWriter(): Promise<void> {
    while (!this.stopped) {
      const now = new Date().toISOString();
      const fault: SentCommand = {
        key: this.key('fault'),
        kind: 'fault',
        path: '/api/v1/faults',
        headers: PLATFORM,
        body: { level: 3, occurredAt: now, place: '故障注入机房', description: '故障注入', affectedScope: '测试', measures: '重启', expectedRecoveryAt: now, reporter: { name: '故障注入' } },
        result: null,
        ackedBeforeKill: false,
      };
      if (!(await this.send(fault))) return;
      const faultId = String(fault.result!.faultId);
      if (!(await this.send({ key: this.key('resolve'), kind: 'resolve', path: `/api/v1/faults/${faultId}/resolve`, headers: PLATFORM, body: { resolution: '已恢复' }, result: null, ackedBeforeKill: false }))) return;
      // A fault every few hundred ms is plenty: each resolve re-verifies the whole ledger in a job.
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  private async reader(): Promise<void> {
    while (!this.stopped) {
      const lots = this.commands.filter((c) => c.kind === 'lot' && c.result);
      const pick = lots[Math.floor(Math.random() * lots.length)];
      try {
        const path = pick && Math.random() < 0.7 ? `/api/v1/trace/${String(pick.result!.traceCode)}` : `/api/v1/search?q=${encodeURIComponent('豇豆')}`;
        const res = await call(this.base, 'GET', path, PLATFORM);
        if (res.status === 200) this.reads.ok++;
        else this.reads.failed++;
      } catch {
        return;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** A command's answer: 2xx is its result; anything else is a harness or server error worth stopping for. */
export function accept(cmd: SentCommand, answer: Answer): void {
  if (answer.status < 200 || answer.status >= 300) throw new HarnessError(`${cmd.kind} ${cmd.key} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 400)}`);
  cmd.result = answer.body as Record<string, unknown>;
}

export function acceptBatch(batch: SentBatch, answer: Answer): void {
  if (answer.status !== 200) throw new HarnessError(`batch answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 400)}`);
  const results = (answer.body as { results: NonNullable<SentBatch['results']> }).results;
  const failed = results.find((r) => r.status !== 'ok');
  if (failed) throw new HarnessError(`batch item failed: ${JSON.stringify(failed).slice(0, 400)}`);
  batch.results = results;
}

/** Not a network error: a wrong answer (4xx/5xx) — the cycle fails loudly instead of counting it as a kill. */
export class HarnessError extends Error {}
