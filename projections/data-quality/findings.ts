import { cstDay, type AppliedQualityRule, type Hit, type QualityRule, type SubjectKind } from '../../domain/data-quality';
import type { DocInput } from '../runner/projection';
import type { StagedWrites } from './staged-writes';

/**
 * Findings (问题数据): one document per rule and record, opened when a check flags the record, updated while it
 * stays flagged, resolved when a later event fixes the record (or withdraws it). A resolved finding that is
 * flagged again reopens as a new episode (firstSeenAt moves, `episodes` counts).
 */
export const FINDINGS = 'dq_findings';
export const SUBJECTS = 'dq_subjects';

export interface Responsible {
  name: string | null;
  phone: string | null;
  email?: string | null;
  /** The account behind it, when known (an origin record's collector). */
  userId?: string | null;
}

/** What a finding is about, as the subjects collection keeps it. */
export interface Subject {
  kind: SubjectKind;
  id: string;
  name: string | null;
  regionCode: string;
  townshipCode: string | null;
  responsible: Responsible | null;
  entityId: string | null;
}

export type Resolution = 'fixed' | 'withdrawn' | 'rule-disabled';

export interface FindingDoc {
  _id: string;
  ruleId: string;
  check: string;
  ruleName: string;
  category: string;
  severity: string;
  subject: { kind: SubjectKind; id: string; name: string | null; entityId: string | null };
  regionCode: string;
  townshipCode: string | null;
  /** 统计周期 of the episode's first sighting (China Standard Time). */
  day: string;
  month: string;
  year: string;
  responsible: Responsible | null;
  message: string;
  detail: Record<string, unknown>;
  status: 'open' | 'resolved';
  /** When the record was first flagged in this episode; for a stale record, the moment it becomes stale (may be ahead). */
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
  resolution: Resolution | null;
  episodes: number;
}

export function findingId(ruleId: string, kind: SubjectKind, id: string, suffix?: string): string {
  return `${ruleId}|${kind}|${id}${suffix ? `|${suffix}` : ''}`;
}

function period(at: string): { day: string; month: string; year: string } {
  const day = cstDay(at);
  return { day, month: day.slice(0, 7), year: day.slice(0, 4) };
}

/** Opens (or keeps open, or reopens) the finding of a rule on a subject. */
export async function flag(w: StagedWrites, rule: QualityRule, subject: Subject, hit: Hit, at: string, options: { id?: string; firstSeenAt?: string } = {}): Promise<void> {
  const id = options.id ?? findingId(rule.ruleId, subject.kind, subject.id);
  const existing = await w.get<FindingDoc>(FINDINGS, id);
  const still = existing && existing.status === 'open';
  const firstSeenAt = still ? existing.firstSeenAt : (options.firstSeenAt ?? at);
  const doc: FindingDoc = {
    _id: id,
    ruleId: rule.ruleId,
    check: rule.check,
    ruleName: rule.name,
    category: rule.category,
    severity: rule.severity,
    subject: { kind: subject.kind, id: subject.id, name: subject.name, entityId: subject.entityId },
    regionCode: subject.regionCode,
    townshipCode: subject.townshipCode,
    ...period(firstSeenAt),
    responsible: subject.responsible,
    message: hit.message,
    detail: hit.detail,
    status: 'open',
    firstSeenAt,
    lastSeenAt: at,
    resolvedAt: null,
    resolution: null,
    episodes: still ? existing.episodes : (existing?.episodes ?? 0) + 1,
  };
  w.put(FINDINGS, doc as unknown as DocInput);
}

/** Resolves the finding if it is open; nothing otherwise. */
export async function resolve(w: StagedWrites, id: string, at: string, resolution: Resolution): Promise<void> {
  const existing = await w.get<FindingDoc>(FINDINGS, id);
  if (!existing || existing.status !== 'open') return;
  const { _v: _ignored, ...doc } = existing;
  w.put(FINDINGS, { ...doc, status: 'resolved', resolvedAt: at, resolution, lastSeenAt: at });
}

/**
 * Rule outcomes applied in this process (one per rule and record checked): what bench/data-quality.ts reports as
 * rule checks per second. A plain counter, read by nothing that decides.
 */
export const ruleChecks = { applied: 0 };

/**
 * Applies a check's outcome: flagged → open, clean → resolve as fixed, rule disabled → resolve as such. The
 * subject's responsible person and place are refreshed on every flag (a changed contact gets the feedback).
 */
export async function apply(w: StagedWrites, rule: AppliedQualityRule, subject: Subject, hit: Hit | null, at: string): Promise<void> {
  ruleChecks.applied++;
  const id = findingId(rule.ruleId, subject.kind, subject.id);
  if (!rule.enabled) return resolve(w, id, at, 'rule-disabled');
  if (hit) return flag(w, rule, subject, hit, at);
  return resolve(w, id, at, 'fixed');
}
