import type { DecisionContext } from '../shared/actor';
import type { Decider } from '../shared/decider';
import type { DomainEvent } from '../shared/event';
import { ValidationError } from '../shared/errors';
import { levelOfRegion } from './contacts';
import { findKeyProduct, KEY_PRODUCTS } from './products';
import type { OriginActorRef } from './types';

/**
 * 目标任务 (seed 003 六(二): each level's implementation plan "明确目标任务"): how many bases or plots of each key
 * product above the size threshold a region expects to put on record. It is what completeness is measured against
 * — collected and approved in-scope records over the expected count — so that "不得漏采" can be read off a number
 * instead of a raw count. Set by the region's reviewers (county and above) for their region or one below it; one
 * small stream per region, `origintargets-{regionCode}`, each change the whole table after it.
 */
export type OriginTargets = Record<string, number>;

export type OriginTargetsSet = DomainEvent<
  'OriginTargetsSet',
  { regionCode: string; level: ReturnType<typeof levelOfRegion>; targets: OriginTargets; setBy: OriginActorRef; setAt: string }
>;
export type OriginTargetEvent = OriginTargetsSet;
export const ORIGIN_TARGET_EVENT_TYPES: OriginTargetEvent['type'][] = ['OriginTargetsSet'];

export type SetOriginTargets = { type: 'SetOriginTargets'; data: { regionCode: string; targets: Record<string, unknown> } };

export interface OriginTargetsState {
  regionCode: string;
  targets: OriginTargets;
}

export const originTargetsStreamId = (regionCode: string): string => `origintargets-${regionCode === '' ? 'national' : regionCode}`;

/** Largest expected count per product and region (all of China has a few million farms). */
export const MAX_TARGET = 10_000_000;

/** Product (code or name of a key product) → whole count ≥ 0, in the products' own order; 0 means none expected. */
export function validateTargets(targets: Record<string, unknown>): OriginTargets {
  if (typeof targets !== 'object' || targets === null || Array.isArray(targets)) throw new ValidationError('targets', 'targets must be an object of product → expected count');
  const byCode = new Map<string, number>();
  for (const [product, value] of Object.entries(targets)) {
    const key = findKeyProduct(product);
    if (!key) throw new ValidationError(`targets.${product}`, `${product} is not one of the 12 key products`, { value: product });
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_TARGET) {
      throw new ValidationError(`targets.${product}`, `targets.${product} must be a whole number from 0 to ${MAX_TARGET}`, { value: value ?? null });
    }
    if (byCode.has(key.code)) throw new ValidationError(`targets.${product}`, `${key.name} is given twice`, { product: key.code });
    byCode.set(key.code, value);
  }
  const out: OriginTargets = {};
  for (const p of KEY_PRODUCTS) if (byCode.has(p.code)) out[p.code] = byCode.get(p.code)!;
  return out;
}

export function decideTargets(command: SetOriginTargets, state: OriginTargetsState, ctx: DecisionContext): OriginTargetEvent[] {
  const { regionCode } = command.data;
  const level = levelOfRegion(typeof regionCode === 'string' ? regionCode : 'x');
  const targets = validateTargets(command.data.targets);
  if (JSON.stringify(targets) === JSON.stringify(state.targets)) return [];
  const a = ctx.actor;
  return [{ type: 'OriginTargetsSet', data: { regionCode, level, targets, setBy: { userId: a.userId, orgId: a.orgId, role: a.role, regionCode: a.regionCode ?? '' }, setAt: ctx.now.toISOString() } }];
}

export const targetsDecider: Decider<SetOriginTargets, OriginTargetEvent, OriginTargetsState, DecisionContext> = {
  decide: decideTargets,
  evolve: (_state, event) => ({ regionCode: event.data.regionCode, targets: event.data.targets }),
  initialState: () => ({ regionCode: '', targets: {} }),
};

/**
 * The expected count of a region from the targets set in it: its own table where it has one, else the sum of the
 * top-most tables below it (a province without its own table expects what its counties expect; a county's table
 * stands for its townships'). Per product; null for a product no table in the region names.
 */
export function expectedCounts(region: string, tables: { regionCode: string; targets: OriginTargets }[]): Record<string, number | null> {
  const inside = tables.filter((t) => t.regionCode.startsWith(region));
  const out: Record<string, number | null> = {};
  for (const p of KEY_PRODUCTS) {
    const naming = inside.filter((t) => t.targets[p.code] !== undefined);
    // A table counts unless one above it (still inside the region) names the product too.
    const topMost = naming.filter((t) => !naming.some((u) => u !== t && t.regionCode.startsWith(u.regionCode) && u.regionCode.length < t.regionCode.length));
    out[p.code] = topMost.length === 0 ? null : topMost.reduce((sum, t) => sum + t.targets[p.code]!, 0);
  }
  return out;
}
