import type { RegistrationEvent } from '../../domain/registration/events';
import type { ProjectionContext } from '../runner/projection';

/**
 * Where the registry locates each entity and its bases below the county (township codes), kept by the
 * lots projection itself (`lot_holder_places`) so that a lot is located from events this projection has
 * already folded, in log order — never from another projection's collection, which may be behind.
 */
export const HOLDER_PLACE_EVENT_TYPES = ['RegistrationApplied', 'BaseAdded'] as const;

export function isHolderPlaceEvent(type: string): type is (typeof HOLDER_PLACE_EVENT_TYPES)[number] {
  return (HOLDER_PLACE_EVENT_TYPES as readonly string[]).includes(type);
}

interface HolderPlaces {
  _id: string;
  regionCode: string;
  townshipCode: string | null;
  bases: Record<string, string | null>;
}

export async function applyHolderPlaces(raw: { type: string; data: Record<string, unknown> }, ctx: ProjectionContext): Promise<void> {
  const event = { type: raw.type, data: raw.data } as Extract<RegistrationEvent, { type: 'RegistrationApplied' | 'BaseAdded' }>;
  if (event.type === 'RegistrationApplied') {
    const d = event.data;
    const bases = Object.fromEntries(d.bases.map((b) => [b.baseId, b.townshipCode ?? null]));
    ctx.put('lot_holder_places', { _id: d.entityId, regionCode: d.regionCode, townshipCode: d.townshipCode ?? null, bases });
    return;
  }
  const doc = (await ctx.get('lot_holder_places', event.data.entityId)) as unknown as HolderPlaces | null;
  if (!doc) return; // an entity applied before this projection kept places: nothing to locate it by
  ctx.put('lot_holder_places', { ...doc, bases: { ...doc.bases, [event.data.base.baseId]: event.data.base.townshipCode ?? null } });
}

/**
 * A new lot's townships: its holder's (the entity's registration), and for a lot produced on a base, the
 * base's — both only inside the holder's county (the county that supervises the holder must cover them).
 */
export async function lotTownships(ctx: ProjectionContext, entityId: string, holderCounty: string, baseId: string | null): Promise<{ holder: string | null; base: string | null; codes: string[] }> {
  const doc = (await ctx.get('lot_holder_places', entityId)) as unknown as HolderPlaces | null;
  const inCounty = (code: string | null | undefined) => (typeof code === 'string' && code.startsWith(holderCounty) ? code : null);
  const holder = inCounty(doc?.townshipCode);
  const base = baseId ? inCounty(doc?.bases[baseId]) : null;
  return { holder, base, codes: [...new Set([holder, base].filter((c): c is string => c !== null))] };
}
