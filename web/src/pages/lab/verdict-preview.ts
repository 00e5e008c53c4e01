/**
 * The verdict shown before a result is saved: the very rule the server applies (domain/sampling/verdict.ts,
 * pure and dependency-free), run in the browser, so what the lab sees is what the ledger will record.
 */
import { judgeResults, type AnalyteOutcome, type Verdict } from '../../../../domain/sampling/verdict';
import type { AnalyteSpec } from '../../../../domain/monitoring/model';
import { ValidationError } from '../../../../domain/shared/errors';

export type { AnalyteOutcome, AnalyteSpec, Verdict };

/** The raw entries as the form holds them; `{code, value?, unit?, notDetected?, lod?}` like the API body. */
export type ResultEntry = { code: string; value?: number; unit?: string; notDetected?: boolean };

export type Preview = { ok: true; verdict: Verdict; outcomes: AnalyteOutcome[] } | { ok: false; field: string };

export function previewVerdict(analytes: AnalyteSpec[], entries: ResultEntry[]): Preview {
  try {
    return { ok: true, ...judgeResults(analytes, entries) };
  } catch (err) {
    // The form is not complete yet (a value missing, a unit that does not fit): say which entry.
    if (err instanceof ValidationError) return { ok: false, field: err.field };
    throw err;
  }
}
