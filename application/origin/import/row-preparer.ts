import { createHash } from 'node:crypto';
import { fingerprintOf, normalizeDecimal, validateFields, type OriginRecordFields, type OriginRecordInput, type PlaceDirectory } from '../../../domain/origin';
import { DomainError, ValidationError } from '../../../domain/shared/errors';
import { columnName, columnOfField, TEMPLATE_COLUMNS } from './columns';
import type { RowResult } from './import-files';
import { rowToInput, type VillageCodes } from './row-input';
import type { SheetRow } from './spreadsheet-rows';

/**
 * Row identity (the basis of an idempotent re-import): the same 主体名称, village, point and product are the
 * same base or plot, hence the same record id. Coordinates are compared as numbers written exactly
 * ('18.7421530' = '18.742153'); everything else the row says may change and is then 信息变更 of that record.
 */
export function importedRecordId(fields: OriginRecordFields): string {
  const key = [fields.producerName, fields.address.villageCode, normalizeDecimal(fields.point.lat), normalizeDecimal(fields.point.lon), fields.product.code].join('\u0000');
  return `imp-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

/** A domain refusal of one row, named by the template's column (a ValidationError's field → its column). */
export function refusalOf(row: SheetRow, err: unknown): RowResult {
  if (!(err instanceof DomainError)) throw err;
  const field = err instanceof ValidationError ? err.field : err.code === 'NOT_HOLDER' ? 'entityId' : 'address.villageCode';
  const column = columnOfField(field, row.cells.villageCode !== '');
  return { row: row.row, result: 'refused', column: column ? columnName(column) : field, field, code: err.code, rule: err.message, cells: row.cells };
}

/** A row read and validated, not yet decided: either refused already, or its record id and validated fields. */
export interface PreparedRow {
  row: SheetRow;
  refused?: RowResult;
  recordId?: string;
  /** The row's fields, validated (the decider's own validation of them is then a lookup). */
  fields?: OriginRecordFields;
  /** fingerprintOf(fields), computed with them (the decider's 'unchanged' test). */
  fingerprint?: string;
  /** The row as read (a change re-validates it with the record's entity filled in); the row worker leaves it out (rowToInput of the cells gives it again). */
  raw?: OriginRecordInput;
}

/**
 * The pure part of an import row: cells → form input → validated fields → record id, and the file's own
 * duplicate rule (a second row for the same base is refused: the file would not re-import to the same state).
 * No ledger, no policy: it runs where the file is read, on the job's thread or in the row worker (row-worker.ts).
 */
export class RowPreparer {
  /** Record ids already seen in this file, with their row. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly villages: VillageCodes,
    private readonly places: PlaceDirectory,
    /** A registered enterprise imports its own records only (decision 0016: the policy's party rule): its org id, else null. */
    private readonly entityId: string | null,
  ) {}

  prepare(row: SheetRow): PreparedRow {
    try {
      const raw = rowToInput(row.cells, this.villages, this.entityId);
      const fields = validateFields(raw, this.places);
      const recordId = importedRecordId(fields);
      const earlier = this.seen.get(recordId);
      if (earlier !== undefined) {
        const column = TEMPLATE_COLUMNS.find((c) => c.key === 'producerName')!;
        return { row, refused: { row: row.row, result: 'refused', column: columnName(column), field: 'producerName', code: 'DUPLICATE_ROW', rule: `the same base (主体名称, 村, 点位, 产品) as row ${earlier}`, cells: row.cells } };
      }
      this.seen.set(recordId, row.row);
      return { row, recordId, fields, fingerprint: fingerprintOf(fields), raw };
    } catch (err) {
      return { row, refused: refusalOf(row, err) };
    }
  }
}
