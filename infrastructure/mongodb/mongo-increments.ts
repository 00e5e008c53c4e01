import type { UpdateFilter } from 'mongodb';
import type { Increment, ReadDoc } from '../../application/ports/read-store';

/** A field name MongoDB would read as a path or an operator cannot be a counter or a header field. */
function fieldName(name: string): string {
  if (name === '' || name.includes('.') || name.startsWith('$')) throw new Error(`read store: field name ${JSON.stringify(name)} cannot be incremented or set`);
  return name;
}

/**
 * The port's Increment as one MongoDB update: `$inc` on `field.counter`, `$set` of the header and `_v`, and
 * `$setOnInsert` of the fields a new document starts with. Empty operators are left out (MongoDB refuses them).
 */
export function incrementUpdate(inc: Increment): UpdateFilter<ReadDoc> {
  const field = fieldName(inc.field);
  const $inc: Record<string, number> = {};
  for (const k in inc.add) $inc[`${field}.${fieldName(k)}`] = inc.add[k]!;
  const $set: Record<string, unknown> = { _v: inc.v };
  for (const k in inc.set) $set[fieldName(k)] = inc.set[k];
  const update: Record<string, unknown> = { $set };
  if (Object.keys($inc).length > 0) update.$inc = $inc;
  // A new document with nothing to add still gets its (empty) counters field.
  else update.$setOnInsert = { [field]: {} };
  const init = Object.keys(inc.init).filter((k) => !(k in inc.set) && k !== field && k !== '_id' && k !== '_v');
  if (init.length > 0) update.$setOnInsert = { ...(update.$setOnInsert as object | undefined), ...Object.fromEntries(init.map((k) => [fieldName(k), inc.init[k]])) };
  return update as UpdateFilter<ReadDoc>;
}

/** The document an increment creates when none is stored (inserted whole where updates cannot upsert cheaply). */
export function newDocumentOf(inc: Increment): ReadDoc {
  return { _id: inc.id, ...inc.init, ...inc.set, [inc.field]: { ...inc.add }, _v: inc.v } as ReadDoc;
}
