import type { FieldCondition, Filter, FindOptions, Scalar } from '../../application/ports/read-store';
import { prefixUpperBound, sqlStringLiteral } from './text-range';

/**
 * Compiles the ReadStore's Mongo-like filter into SQL over a table (id TEXT, v INTEGER, body JSON).
 *
 * Paths become literal JSON paths (`json_extract(body, '$."base"."regionCode"')`), never bound
 * parameters; a path ensureIndex declared is read from its generated columns instead (same values, and
 * the index over them answers the query).
 * Comparisons are type-strict like MongoDB's: a number condition only matches JSON numbers, a string
 * condition only JSON strings, `true` only JSON true.
 *
 * Array fields: a condition also matches when the field is an array and any element satisfies it. The
 * json_each branch defeats index use, so it is only emitted for paths that have held an array in this
 * collection (`arrayPaths`, recorded by every put).
 */
export interface CompiledQuery {
  where: string;
  params: unknown[];
}

const OPERATORS = new Set(['$eq', '$ne', '$in', '$gt', '$gte', '$lt', '$lte', '$prefix', '$exists']);

export function jsonPath(dotted: string): string {
  const segments = dotted.split('.');
  for (const s of segments) {
    if (s === '' || s.includes('"')) throw new Error(`Invalid field path: ${JSON.stringify(dotted)}`);
  }
  return '$' + segments.map((s) => `."${s}"`).join('');
}

/**
 * An indexed path's generated columns (decision 0021): `value` is `json_extract(body, path)` and `type` is
 * `json_type(body, path)`, declared VIRTUAL on the table and indexed together, so a query names the column
 * and the index answers both the comparison and the type check without parsing the body.
 */
export interface GeneratedColumns {
  value: string;
  type: string;
}
export type ColumnsByPath = ReadonlyMap<string, GeneratedColumns>;
const NO_COLUMNS: ColumnsByPath = new Map();

/** The SQL expression that computes a path's value from the body (what an index column holds); `body` another source, e.g. a bound parameter. */
export function extractExpression(dotted: string, body = 'body'): string {
  return `json_extract(${body}, ${sqlStringLiteral(jsonPath(dotted))})`;
}
export function typeOfExpression(dotted: string, body = 'body'): string {
  return `json_type(${body}, ${sqlStringLiteral(jsonPath(dotted))})`;
}

/** The SQL expression for a path's value; `_id` and `_v` live in their own columns, indexed paths in generated ones. */
export function valueExpression(dotted: string, columns: ColumnsByPath = NO_COLUMNS): string {
  if (dotted === '_id') return 'id';
  if (dotted === '_v') return 'v';
  return columns.get(dotted)?.value ?? extractExpression(dotted);
}

function typeExpression(dotted: string, columns: ColumnsByPath): string {
  if (dotted === '_id') return `'text'`;
  if (dotted === '_v') return `'integer'`;
  return columns.get(dotted)?.type ?? typeOfExpression(dotted);
}

/** A predicate over one value: `value` and `type` are SQL expressions (a field, or a json_each row). */
type Predicate = (value: string, type: string, isElement: boolean, params: unknown[]) => string;

function equals(operand: Scalar): Predicate {
  return (value, type, isElement, params) => {
    if (operand === null) return isElement ? `${type} = 'null'` : `(${type} IS NULL OR ${type} = 'null')`;
    if (typeof operand === 'boolean') return `${type} = '${operand ? 'true' : 'false'}'`;
    params.push(operand);
    return typeof operand === 'number' ? `(${type} IN ('integer', 'real') AND ${value} = ?)` : `(${type} = 'text' AND ${value} = ?)`;
  };
}

function compares(op: '>' | '>=' | '<' | '<=', operand: string | number): Predicate {
  if (typeof operand !== 'number' && typeof operand !== 'string') throw new Error(`Range operand must be a number or a string`);
  return (value, type, _isElement, params) => {
    params.push(operand);
    const typeCheck = typeof operand === 'number' ? `${type} IN ('integer', 'real')` : `${type} = 'text'`;
    return `(${typeCheck} AND ${value} ${op} ?)`;
  };
}

function startsWith(prefix: string): Predicate {
  if (typeof prefix !== 'string') throw new Error('$prefix needs a string');
  return (value, type, _isElement, params) => {
    const upper = prefixUpperBound(prefix);
    params.push(prefix);
    if (upper === null) return `(${type} = 'text' AND ${value} >= ?)`;
    params.push(upper);
    return `(${type} = 'text' AND ${value} >= ? AND ${value} < ?)`;
  };
}

function anyOf(operands: Scalar[]): Predicate {
  if (!Array.isArray(operands)) throw new Error('$in needs an array');
  return (value, type, isElement, params) => {
    if (operands.length === 0) return '0';
    return `(${operands.map((o) => equals(o)(value, type, isElement, params)).join(' OR ')})`;
  };
}

export class FilterCompiler {
  constructor(
    private readonly arrayPaths: ReadonlySet<string>,
    private readonly columns: ColumnsByPath = NO_COLUMNS,
  ) {}

  compile(filter: Filter): CompiledQuery {
    const params: unknown[] = [];
    const conditions = Object.entries(filter).flatMap(([path, condition]) => this.field(path, condition, params));
    return { where: conditions.length > 0 ? conditions.join(' AND ') : '1', params };
  }

  private field(path: string, condition: FieldCondition, params: unknown[]): string[] {
    if (condition === null || typeof condition !== 'object') return [this.matches(path, equals(condition), params)];
    const out: string[] = [];
    for (const [op, operand] of Object.entries(condition)) {
      if (!OPERATORS.has(op)) throw new Error(`Unsupported filter operator ${op} on ${path}`);
      if (operand === undefined) continue;
      switch (op) {
        case '$eq':
          out.push(this.matches(path, equals(operand as Scalar), params));
          break;
        case '$ne':
          // coalesce: a comparison with a missing field is NULL, and NOT NULL would exclude the doc.
          out.push(`NOT coalesce(${this.matches(path, equals(operand as Scalar), params)}, 0)`);
          break;
        case '$in':
          out.push(this.matches(path, anyOf(operand as Scalar[]), params));
          break;
        case '$gt':
          out.push(this.matches(path, compares('>', operand as string | number), params));
          break;
        case '$gte':
          out.push(this.matches(path, compares('>=', operand as string | number), params));
          break;
        case '$lt':
          out.push(this.matches(path, compares('<', operand as string | number), params));
          break;
        case '$lte':
          out.push(this.matches(path, compares('<=', operand as string | number), params));
          break;
        case '$prefix':
          out.push(this.matches(path, startsWith(operand as string), params));
          break;
        case '$exists':
          out.push(operand ? `${typeExpression(path, this.columns)} IS NOT NULL` : `${typeExpression(path, this.columns)} IS NULL`);
          break;
      }
    }
    return out;
  }

  /** The field itself satisfies the predicate, or (for paths that hold arrays) one of its elements does. */
  private matches(path: string, predicate: Predicate, params: unknown[]): string {
    const direct = predicate(valueExpression(path, this.columns), typeExpression(path, this.columns), false, params);
    if (!this.arrayPaths.has(path)) return direct;
    const literal = sqlStringLiteral(jsonPath(path));
    const element = predicate('e.value', 'e.type', true, params);
    return `(${direct} OR (json_type(body, ${literal}) = 'array' AND EXISTS (SELECT 1 FROM json_each(body, ${literal}) AS e WHERE ${element})))`;
  }
}

/** ORDER BY for the sort spec; ties broken by id so paging with skip/limit is stable. */
export function orderBy(sort: FindOptions['sort'], columns: ColumnsByPath = NO_COLUMNS): string {
  const keys = Object.entries(sort ?? {}).map(([path, dir]) => `${valueExpression(path, columns)} ${dir === -1 ? 'DESC' : 'ASC'}`);
  if (!sort || !('_id' in sort)) keys.push('id ASC');
  return keys.join(', ');
}

/** Dotted paths (through nested objects, not into arrays) whose value is an array. */
export function arrayPathsOf(doc: Record<string, unknown>, prefix = '', out: string[] = []): string[] {
  for (const [key, value] of Object.entries(doc)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(value)) out.push(path);
    else if (value !== null && typeof value === 'object') arrayPathsOf(value as Record<string, unknown>, path, out);
  }
  return out;
}
