import { DEFAULT_SCOPE_RULES, originScopeRulesStreamId, scopeRulesDecider, scopeRulesWith, type PlaceDirectory, type ScopeRules } from '../../domain/origin';
import type { Ledger } from '../ledger/ledger';

/** What origin handlers need besides the ledger: the township / village directory and the national scope rules. */
export interface OriginSettings {
  places: PlaceDirectory;
  rules: ScopeRules;
}

export const ORIGIN_SETTINGS = Symbol('OriginSettings');

export const defaultOriginSettings = (places: PlaceDirectory): OriginSettings => ({ places, rules: DEFAULT_SCOPE_RULES });

/**
 * The scope rules in force for records in these provinces: the national table plus each province's own
 * thresholds as its `originscope-{province}` stream holds them now (domain/origin/scope-overrides.ts).
 */
export async function scopeRulesFor(ledger: Ledger, settings: OriginSettings, provinces: Iterable<string>): Promise<ScopeRules> {
  const overrides = await Promise.all([...new Set(provinces)].map(async (p) => (await ledger.load(originScopeRulesStreamId(p), scopeRulesDecider)).state));
  return scopeRulesWith(settings.rules, overrides);
}
