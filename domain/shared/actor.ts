/** Who did something. Comes into deciders as an argument; never read from ambient state. */
export type Role =
  | 'system'
  | 'ministry-admin'
  | 'province-admin'
  | 'city-admin'
  | 'county-admin'
  | 'township-admin'
  | 'supervisor'
  | 'inspector'
  | 'lab'
  | 'enforcement'
  | 'producer'
  | 'consumer'
  | 'auditor';

export interface Actor {
  userId: string;
  orgId: string;
  role: Role;
  /** GB/T 2260 prefix the actor may act in ('' = everywhere). */
  regionCode?: string;
}

export const SYSTEM_ACTOR: Actor = { userId: 'system', orgId: 'platform', role: 'system', regionCode: '' };

/** Everything a decider may need from the outside world, passed in explicitly. */
export interface DecisionContext {
  now: Date;
  actor: Actor;
}
