import type { Client, PoolClient } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import type { Op } from '../../generator/plan';

type Db = Client | PoolClient;

/**
 * What a team would build instead: current state in tables (entities, bases, lots, transfers, market
 * entries), quantities updated in place under row locks, an idempotency table keyed by commandId, trace
 * chains by recursive CTE over lots.parent_trace_code. No event log, no hash chain, no read models.
 */
export const PLAIN_SQL_SCHEMA = `
DROP TABLE IF EXISTS market_entries, transfers, lots, lot_seq, bases, entities, commands CASCADE;
CREATE TABLE commands (command_id text PRIMARY KEY, type text NOT NULL, result jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now());
CREATE TABLE entities (
  id uuid PRIMARY KEY, eid text UNIQUE, name text NOT NULL, entity_type text NOT NULL, region_code text NOT NULL,
  status text NOT NULL, details jsonb NOT NULL, applied_at timestamptz NOT NULL, approved_at timestamptz);
CREATE INDEX entities_region ON entities (region_code);
CREATE TABLE bases (
  entity_id uuid NOT NULL REFERENCES entities, base_id text NOT NULL, name text NOT NULL, region_code text NOT NULL,
  lat double precision NOT NULL, lon double precision NOT NULL, PRIMARY KEY (entity_id, base_id));
CREATE TABLE lot_seq (eid text NOT NULL, day date NOT NULL, n int NOT NULL, PRIMARY KEY (eid, day));
CREATE TABLE lots (
  trace_code text PRIMARY KEY, entity_id uuid NOT NULL REFERENCES entities, product text NOT NULL, unit text NOT NULL,
  quantity numeric NOT NULL, available numeric NOT NULL CHECK (available >= 0), reserved numeric NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  production_date date NOT NULL, base_id text, region_code text NOT NULL,
  parent_trace_code text REFERENCES lots, root_trace_code text NOT NULL, depth int NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE INDEX lots_parent ON lots (parent_trace_code);
CREATE INDEX lots_root ON lots (root_trace_code);
CREATE INDEX lots_depth ON lots (depth);
CREATE TABLE transfers (
  id uuid PRIMARY KEY, from_trace_code text NOT NULL REFERENCES lots, to_entity_id uuid REFERENCES entities, receiver jsonb,
  quantity numeric NOT NULL, unit text NOT NULL, status text NOT NULL, child_trace_code text, created_at timestamptz NOT NULL DEFAULT now(), settled_at timestamptz);
CREATE INDEX transfers_from ON transfers (from_trace_code);
CREATE INDEX transfers_child ON transfers (child_trace_code);
CREATE TABLE market_entries (
  certificate_no text PRIMARY KEY, trace_code text NOT NULL REFERENCES lots, market jsonb NOT NULL, quantity numeric NOT NULL, issued_at timestamptz NOT NULL DEFAULT now());
CREATE INDEX market_entries_lot ON market_entries (trace_code);
`;

export class Refused extends Error {}

/** Executes the generator's commands against the plain schema; the same business checks as the ledger's deciders, in SQL. */
export class PlainSqlLedger {
  constructor(private readonly db: Db) {}

  /**
   * Runs `ops` in one transaction, each inside a savepoint (a refused command does not abort the others).
   * `materialize` turns a payload into plain values just before its command runs, so a command can use
   * the result of an earlier one of the same batch (`onResult` records each result as soon as it exists).
   */
  async runBatch(
    ops: { op: Op; payload: any }[],
    materialize: (payload: unknown) => unknown = (p) => p,
    onResult: (op: Op, result: Record<string, string>) => void = () => undefined,
  ): Promise<({ ok: true; result: Record<string, string> } | { ok: false; error: string })[]> {
    const out: ({ ok: true; result: Record<string, string> } | { ok: false; error: string })[] = [];
    await this.db.query('BEGIN');
    try {
      for (const { op, payload } of ops) {
        await this.db.query('SAVEPOINT item');
        try {
          const seen = await this.db.query('SELECT result FROM commands WHERE command_id = $1', [op.commandId]);
          const result = seen.rows[0] ? (seen.rows[0].result as Record<string, string>) : await this.execute(op, materialize(payload));
          if (!seen.rows[0]) await this.db.query('INSERT INTO commands (command_id, type, result) VALUES ($1, $2, $3)', [op.commandId, op.type, result]);
          await this.db.query('RELEASE SAVEPOINT item');
          onResult(op, result);
          out.push({ ok: true, result });
        } catch (err) {
          await this.db.query('ROLLBACK TO SAVEPOINT item');
          out.push({ ok: false, error: err instanceof Refused ? err.message : `SQL: ${(err as Error).message}` });
        }
      }
      await this.db.query('COMMIT');
    } catch (err) {
      await this.db.query('ROLLBACK');
      throw err;
    }
    return out;
  }

  private async execute(op: Op, p: any): Promise<Record<string, string>> {
    switch (op.type) {
      case 'applyForRegistration': {
        const id = uuidv7();
        await this.db.query(
          'INSERT INTO entities (id, name, entity_type, region_code, status, details, applied_at) VALUES ($1, $2, $3, $4, $5, $6, now())',
          [id, p.name, p.entityType, p.regionCode, 'pending', { address: p.address, legalRepresentative: p.legalRepresentative, contactPhone: p.contactPhone, creditCode: p.creditCode, products: p.products }],
        );
        for (const b of p.bases) await this.db.query('INSERT INTO bases (entity_id, base_id, name, region_code, lat, lon) VALUES ($1, $2, $3, $4, $5, $6)', [id, b.baseId, b.name, b.regionCode, b.lat, b.lon]);
        return { entityId: id };
      }
      case 'approveRegistration': {
        const row = (await this.db.query('SELECT region_code FROM entities WHERE id = $1 AND status = $2 FOR UPDATE', [p.entityId, 'pending'])).rows[0];
        if (!row) throw new Refused('NOT_PENDING');
        const eid = `${row.region_code}${uuidv7().replace(/-/g, '').slice(-6).toUpperCase()}`;
        await this.db.query("UPDATE entities SET status = 'approved', eid = $2, approved_at = now() WHERE id = $1", [p.entityId, eid]);
        return { entityId: String(p.entityId), eid };
      }
      case 'createLot': {
        const e = (await this.db.query("SELECT e.eid, b.region_code FROM entities e JOIN bases b ON b.entity_id = e.id AND b.base_id = $2 WHERE e.id = $1 AND e.status = 'approved'", [p.entityId, p.baseId])).rows[0];
        if (!e) throw new Refused('ENTITY_NOT_APPROVED');
        const traceCode = await this.mint(e.eid, e.region_code, p.productionDate);
        await this.db.query(
          'INSERT INTO lots (trace_code, entity_id, product, unit, quantity, available, production_date, base_id, region_code, root_trace_code, depth) VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $1, 0)',
          [traceCode, p.entityId, p.product, p.quantity.unit, p.quantity.amount, p.productionDate, p.baseId, e.region_code],
        );
        return { traceCode };
      }
      case 'ship': {
        const id = uuidv7();
        const registered = p.to.kind === 'registered';
        const lot = (
          await this.db.query(
            registered
              ? 'UPDATE lots SET available = available - $2, reserved = reserved + $2 WHERE trace_code = $1 AND available >= $2 RETURNING unit'
              : 'UPDATE lots SET available = available - $2 WHERE trace_code = $1 AND available >= $2 RETURNING unit',
            [p.fromTraceCode, p.quantity.amount],
          )
        ).rows[0];
        if (!lot) throw new Refused('INSUFFICIENT_QUANTITY');
        let toEntity: string | null = null;
        if (registered) {
          toEntity = (await this.db.query("SELECT id FROM entities WHERE eid = $1 AND status = 'approved'", [p.to.eid])).rows[0]?.id ?? null;
          if (!toEntity) throw new Refused('RECEIVER_NOT_FOUND');
        }
        await this.db.query('INSERT INTO transfers (id, from_trace_code, to_entity_id, receiver, quantity, unit, status) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
          id, p.fromTraceCode, toEntity, registered ? null : p.to, p.quantity.amount, p.quantity.unit, registered ? 'pending' : 'closed',
        ]);
        return { transferId: id };
      }
      case 'confirmTransfer': {
        const t = (
          await this.db.query(
            `SELECT t.from_trace_code, t.quantity, t.to_entity_id, e.eid, e.region_code, l.product, l.unit, l.production_date::text AS production_date, l.root_trace_code, l.depth, l.base_id
               FROM transfers t JOIN entities e ON e.id = t.to_entity_id JOIN lots l ON l.trace_code = t.from_trace_code
              WHERE t.id = $1 AND t.status = 'pending' FOR UPDATE OF t`,
            [p.transferId],
          )
        ).rows[0];
        if (!t) throw new Refused('NOT_PENDING');
        await this.db.query('UPDATE lots SET reserved = reserved - $2 WHERE trace_code = $1', [t.from_trace_code, t.quantity]);
        const child = await this.mint(t.eid, t.region_code, t.production_date);
        await this.db.query(
          'INSERT INTO lots (trace_code, entity_id, product, unit, quantity, available, production_date, base_id, region_code, parent_trace_code, root_trace_code, depth) VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9, $10, $11)',
          [child, t.to_entity_id, t.product, t.unit, t.quantity, t.production_date, t.base_id, t.region_code, t.from_trace_code, t.root_trace_code, t.depth + 1],
        );
        await this.db.query("UPDATE transfers SET status = 'confirmed', child_trace_code = $2, settled_at = now() WHERE id = $1", [p.transferId, child]);
        return { transferId: String(p.transferId), childTraceCode: child };
      }
      case 'rejectTransfer': {
        const t = (await this.db.query("UPDATE transfers SET status = 'rejected', settled_at = now() WHERE id = $1 AND status = 'pending' RETURNING from_trace_code, quantity", [p.transferId])).rows[0];
        if (!t) throw new Refused('NOT_PENDING');
        await this.db.query('UPDATE lots SET reserved = reserved - $2, available = available + $2 WHERE trace_code = $1', [t.from_trace_code, t.quantity]);
        return { transferId: String(p.transferId) };
      }
      case 'issueMarketEntry': {
        const certificateNo = `RS${uuidv7().replace(/-/g, '').slice(-12).toUpperCase()}`;
        const ok = await this.db.query('SELECT 1 FROM lots WHERE trace_code = $1 AND available >= $2', [p.traceCode, p.quantity.amount]);
        if (ok.rowCount === 0) throw new Refused('INSUFFICIENT_QUANTITY');
        await this.db.query('INSERT INTO market_entries (certificate_no, trace_code, market, quantity) VALUES ($1, $2, $3, $4)', [certificateNo, p.traceCode, p.market, p.quantity.amount]);
        return { certificateNo, traceCode: String(p.traceCode) };
      }
      default:
        throw new Refused(`unsupported ${op.type}`);
    }
  }

  /** Next number of an entity's lots on a production date: one upsert on the counter row. */
  private async mint(eid: string, region: string, day: string): Promise<string> {
    const n = (await this.db.query('INSERT INTO lot_seq (eid, day, n) VALUES ($1, $2, 1) ON CONFLICT (eid, day) DO UPDATE SET n = lot_seq.n + 1 RETURNING n', [eid, day])).rows[0].n as number;
    return `${region}${day.replace(/-/g, '').slice(2)}${eid.slice(6, 11)}${String(n).padStart(4, '0')}`;
  }
}

/** Trace chains as a team would write them: recursive CTEs over lots.parent_trace_code, with the hand-over edges. */
export const CHAIN_SQL = {
  backward: `WITH RECURSIVE up AS (
      SELECT l.*, 0 AS hop FROM lots l WHERE trace_code = $1
      UNION ALL
      SELECT p.*, up.hop + 1 FROM lots p JOIN up ON p.trace_code = up.parent_trace_code WHERE up.hop < 64)
    SELECT up.*, t.id AS transfer_id, t.quantity AS transfer_quantity, t.settled_at
      FROM up LEFT JOIN transfers t ON t.child_trace_code = up.trace_code`,
  forward: `WITH RECURSIVE down AS (
      SELECT l.*, 0 AS hop FROM lots l WHERE trace_code = $1
      UNION ALL
      SELECT c.*, down.hop + 1 FROM lots c JOIN down ON c.parent_trace_code = down.trace_code WHERE down.hop < 64)
    SELECT down.*, e.name AS holder_name, e.eid AS holder_eid, t.id AS transfer_id, t.quantity AS transfer_quantity
      FROM down JOIN entities e ON e.id = down.entity_id LEFT JOIN transfers t ON t.child_trace_code = down.trace_code`,
  /** The consumer's view: the chain back to the origin with each holder's public name, plus certificates. */
  consumer: `WITH RECURSIVE up AS (
      SELECT l.*, 0 AS hop FROM lots l WHERE trace_code = $1
      UNION ALL
      SELECT p.*, up.hop + 1 FROM lots p JOIN up ON p.trace_code = up.parent_trace_code WHERE up.hop < 64)
    SELECT up.trace_code, up.product, up.production_date, up.quantity, up.unit, up.hop, e.name, e.entity_type, e.region_code, b.name AS base_name, b.lat, b.lon,
           (SELECT json_agg(m.certificate_no) FROM market_entries m WHERE m.trace_code = up.trace_code) AS certificates
      FROM up JOIN entities e ON e.id = up.entity_id LEFT JOIN bases b ON b.entity_id = up.entity_id AND b.base_id = up.base_id
     ORDER BY up.hop DESC`,
};
