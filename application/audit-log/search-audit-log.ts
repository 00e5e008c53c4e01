import type { AuditLogCriteria, AuditLogEntry, AuditLogQuery } from '../ports/audit-log-query';

/** A keyword search looks at this many newest entries of the filter (seed 004: recent activity first). */
export const KEYWORD_WINDOW = 5000;

export interface AuditLogPage {
  total: number;
  page: number;
  size: number;
  items: AuditLogEntry[];
}

/**
 * One page of the audit log, newest first. With a keyword `q`, the newest KEYWORD_WINDOW entries of the filter
 * are matched case-insensitively against their keywords, and `total` counts the matches among them; without
 * one, `total` counts every entry of the filter.
 */
export async function searchAuditLog(query: AuditLogQuery, criteria: AuditLogCriteria, opts: { q?: string; page: number; size: number }): Promise<AuditLogPage> {
  const { page, size } = opts;
  if (!opts.q) {
    const [items, total] = await Promise.all([query.find(criteria, { skip: (page - 1) * size, limit: size }), query.count(criteria)]);
    return { total, page, size, items };
  }
  const needle = opts.q.toLowerCase();
  const matches = (await query.find(criteria, { skip: 0, limit: KEYWORD_WINDOW })).filter((e) => e.keywords.toLowerCase().includes(needle));
  return { total: matches.length, page, size, items: matches.slice((page - 1) * size, page * size) };
}
