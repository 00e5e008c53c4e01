import type { HolidayCalendar } from '../../domain/shared/working-days';

/** Installation-wide settings the handlers need; provided by the composition. */
export interface LedgerSettings {
  traceCodeSecret: string;
  calendar: HolidayCalendar;
  publicUrl: string;
  readYourWritesMs: number;
}

export const LEDGER_SETTINGS = Symbol('LedgerSettings');
export const LEDGER = Symbol('Ledger');
