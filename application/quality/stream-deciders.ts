import { decider as caseDecider } from '../../domain/enforcement';
import { decider as faultDecider } from '../../domain/faults';
import { decider as inspectionDecider } from '../../domain/inspection';
import { decider as taskDecider } from '../../domain/monitoring';
import { ruleSet, warnings } from '../../domain/risk';
import { decider as sampleDecider } from '../../domain/sampling';
import type { Decider } from '../../domain/shared/decider';

/** The regulator's streams (DESIGN.md names), for the auditor's replay (application/audit/stream-history.ts). */
export const QUALITY_DECIDERS: [prefix: string, decider: Decider<any, any, any, any>][] = [
  ['task-', taskDecider],
  ['sample-', sampleDecider],
  ['case-', caseDecider],
  ['fault-', faultDecider],
  ['inspection-', inspectionDecider],
  ['warning-', warnings.decider],
  ['riskrules-', ruleSet.decider],
];
