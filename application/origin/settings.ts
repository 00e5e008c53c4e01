import { DEFAULT_SCOPE_RULES, type PlaceDirectory, type ScopeRules } from '../../domain/origin';

/** What origin handlers need besides the ledger: the township / village directory and the scope rules in force. */
export interface OriginSettings {
  places: PlaceDirectory;
  rules: ScopeRules;
}

export const ORIGIN_SETTINGS = Symbol('OriginSettings');

export const defaultOriginSettings = (places: PlaceDirectory): OriginSettings => ({ places, rules: DEFAULT_SCOPE_RULES });
