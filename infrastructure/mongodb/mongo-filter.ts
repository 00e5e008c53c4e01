import type { FieldCondition, Filter, Scalar } from '../../application/ports/read-store';

/**
 * The ReadStore's portable filter language → a MongoDB query document.
 *
 * The port's language is a deliberate subset of Mongo's, so most of it maps one to one and keeps Mongo's
 * semantics the port relies on: type-strict equality, `null` matching a missing field, `$ne` matching
 * documents that lack the field, and equality / `$in` matching any element of an array field.
 * `$prefix` becomes an anchored, escaped regular expression, which MongoDB (and FerretDB) can answer from
 * an ascending index on the path.
 */
export function toMongoQuery(filter: Filter): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const [path, condition] of Object.entries(filter)) {
    const mongo = toMongoCondition(path, condition);
    // An operator object whose members are all undefined constrains nothing (`{}` would mean "equals {}").
    if (mongo !== NO_CONDITION) query[path] = mongo;
  }
  return query;
}

const NO_CONDITION = Symbol('no condition');
const OPERATORS = ['$eq', '$ne', '$in', '$gt', '$gte', '$lt', '$lte', '$prefix', '$exists'] as const;

function toMongoCondition(path: string, condition: FieldCondition): unknown {
  if (isScalar(condition)) return condition;
  const out: Record<string, unknown> = {};
  for (const [op, value] of Object.entries(condition)) {
    if (value === undefined) continue;
    if (!(OPERATORS as readonly string[]).includes(op)) {
      throw new Error(`Unsupported filter operator ${op} on ${path}`);
    }
    if (op === '$prefix') {
      out.$regex = `^${escapeRegex(String(value))}`;
    } else {
      out[op] = value;
    }
  }
  return Object.keys(out).length === 0 ? NO_CONDITION : out;
}

function isScalar(value: FieldCondition): value is Scalar {
  return value === null || typeof value !== 'object';
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
