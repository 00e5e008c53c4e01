/** Kinds of producers and operators (生产经营主体). Households (农户) have no credit code. */
export const ENTITY_TYPES = ['enterprise', 'cooperative', 'familyFarm', 'slaughterhouse', 'household'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** A production site (基地). Coordinates are stored exactly as given (≥ 6 decimals per seed 003). */
export interface Base {
  baseId: string;
  name: string;
  regionCode: string;
  /** The township (乡镇 / 街道, nine digits) inside `regionCode` where the base is; optional. */
  townshipCode?: string;
  address: string;
  lat: number;
  lon: number;
  /** Area in mu (亩), for planting and aquaculture bases. */
  areaMu?: number;
  products: string[];
}

/** The fields an entity may change after applying. */
export interface RegistrationChanges {
  name?: string;
  address?: string;
  legalRepresentative?: string;
  contactPhone?: string;
  products?: string[];
}

export const CHANGEABLE_FIELDS = ['name', 'address', 'legalRepresentative', 'contactPhone', 'products'] as const;

export function entityStreamId(entityId: string): string {
  return `entity-${entityId}`;
}
