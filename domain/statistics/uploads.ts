/**
 * 数据传输监控 (seed 004 §六(二)): how much each client — a provincial platform, an enterprise's own system, a
 * township collector importing a 采集表 — uploaded, and how much of it was valid or a problem. Counted in memory
 * by the serving instance per (day, channel, client) and recorded as one aggregated event per interval, like the
 * consumer lookups: refused items append nothing to the ledger (a rejected command leaves no trace), so without
 * these counts the problem data of an upload would be invisible to the monitoring.
 */
export const UPLOAD_EVENT_TYPES = ['UploadsCounted'] as const;

/** Where an upload came in: POST /api/v1/batch, or the origin-data 采集表 import. */
export type UploadChannel = 'batch' | 'origin-import';

export interface UploadCount {
  /** Business day of the upload (China Standard Time, YYYY-MM-DD). */
  day: string;
  channel: UploadChannel;
  /** The uploading organisation (its org id) and the account's role and region. */
  clientId: string;
  clientRole: string;
  regionCode: string;
  /** Items received (commands of a batch, rows of a sheet). */
  items: number;
  /** Accepted for the first time. */
  valid: number;
  /** Refused (each with its error code in `problemCodes`). */
  problems: number;
  /** Sent again after an earlier upload was accepted (补传/重传: a resent command, an unchanged row). */
  resent: number;
  problemCodes: Record<string, number>;
}

export interface UploadsCounted {
  type: 'UploadsCounted';
  data: { from: string; to: string; counts: UploadCount[] };
}

/** One stream per counted interval: nothing to load, no contention between instances. */
export const uploadStreamId = (intervalId: string) => `uploads-${intervalId}`;
