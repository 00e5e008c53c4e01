import { get } from '../../api/client';
import type { Entity, Lot, Page } from '../../api/types';

/** The lots this producer holds, newest first (the API limits a producer to its own). */
export async function myLots(entity: Entity, onlyAvailable = false): Promise<Lot[]> {
  const r = await get<Page<Lot>>('/api/v1/lots', { entityId: entity._id, size: 200 });
  return onlyAvailable ? r.items.filter((l) => l.available > 0) : r.items;
}
