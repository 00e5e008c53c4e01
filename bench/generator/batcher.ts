import { Sym, type Op } from './plan';

export interface BatchItemJson {
  commandId: string;
  type: string;
  payload: unknown;
}

/** What the batch endpoint answers per item (the part the generator needs). */
export interface ItemResponse {
  commandId: string | null;
  status: 'ok' | 'error';
  duplicate?: boolean;
  result?: Record<string, unknown>;
  error?: { code: string; message: string; field: string | null };
}

/** Result fields later commands refer to; nothing else is kept (the L size has millions of commands). */
const KEPT_FIELDS = ['entityId', 'eid', 'traceCode', 'childTraceCode', 'transferId'];

/**
 * Cuts the plan's command stream into batches. A Sym pointing into the same batch becomes
 * `{"$ref": "<commandId>/<field>"}` (resolved by the server), one pointing to an earlier batch becomes the
 * literal value that batch returned. Commands that depend on a failed command are dropped (and counted).
 */
export class Batcher {
  private readonly results = new Map<string, Record<string, string>>();
  private readonly failed = new Set<string>();
  readonly stats = { planned: 0, sent: 0, ok: 0, duplicates: 0, failed: 0, skipped: 0, events: 0, errors: new Map<string, number>() };

  private ops: Iterator<Op> = [][Symbol.iterator]();

  /** `size`: items per batch. One batcher serves a whole run: it remembers every answer later commands need. */
  constructor(readonly size: number) {}

  /** Takes its commands from `ops` from now on (e.g. the registration phase, then the supply chains). */
  use(ops: Iterator<Op>): this {
    this.ops = ops;
    return this;
  }

  /** The next batch (its items and the ops behind them), or null when the plan is exhausted. */
  next(size = this.size): { items: BatchItemJson[]; ops: Op[] } | null {
    const items: BatchItemJson[] = [];
    const ops: Op[] = [];
    const inBatch = new Set<string>();
    while (items.length < size) {
      const step = this.ops.next();
      if (step.done) break;
      const op = step.value;
      this.stats.planned++;
      const payload = this.resolve(op.payload, inBatch);
      if (payload === SKIP) {
        this.failed.add(op.commandId);
        this.stats.skipped++;
        continue;
      }
      items.push({ commandId: op.commandId, type: op.type, payload });
      ops.push(op);
      inBatch.add(op.commandId);
    }
    this.stats.sent += items.length;
    return items.length > 0 ? { items, ops } : null;
  }

  /** Records a batch's answers; returns the events it appended (counted from the ops that succeeded anew). */
  record(ops: Op[], results: ItemResponse[]): number {
    let events = 0;
    results.forEach((r, i) => {
      const op = ops[i]!;
      if (r.status === 'ok') {
        this.stats.ok++;
        if (r.duplicate) this.stats.duplicates++;
        else events += op.events;
        const kept: Record<string, string> = {};
        for (const f of KEPT_FIELDS) if (typeof r.result?.[f] === 'string') kept[f] = r.result[f] as string;
        this.results.set(op.commandId, kept);
      } else {
        this.stats.failed++;
        this.failed.add(op.commandId);
        const code = r.error?.code ?? 'UNKNOWN';
        this.stats.errors.set(code, (this.stats.errors.get(code) ?? 0) + 1);
      }
    });
    this.stats.events += events;
    return events;
  }

  /** The literal result field of an earlier command (after its batch was recorded). */
  value(sym: Sym): string | undefined {
    return this.results.get(sym.commandId)?.[sym.field];
  }

  private resolve(value: unknown, inBatch: Set<string>): unknown {
    if (value instanceof Sym) {
      if (inBatch.has(value.commandId)) return { $ref: `${value.commandId}/${value.field}` };
      if (this.failed.has(value.commandId)) return SKIP;
      const literal = this.value(value);
      if (literal === undefined) throw new Error(`plan refers to ${value.commandId}/${value.field}, which was never answered`);
      return literal;
    }
    if (Array.isArray(value)) {
      const out = value.map((v) => this.resolve(v, inBatch));
      return out.includes(SKIP) ? SKIP : out;
    }
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const r = this.resolve(v, inBatch);
        if (r === SKIP) return SKIP;
        out[k] = r;
      }
      return out;
    }
    return value;
  }
}

const SKIP = Symbol('skip');
