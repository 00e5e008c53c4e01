/**
 * What the reports need from the incident and recall side beyond the chain synthesis. The incidents capability
 * maps its read models onto these shapes; the reports never read incident streams themselves.
 */
export interface IncidentSummary {
  incidentId: string;
  title: string;
  /** 产品安全 / 疫情 / 公共卫生 / 社会安全 / 市场供应保障 (as recorded, Chinese label or code). */
  category: string;
  /** 一般 / 较大 / 重大 / 特别重大 (label or code). */
  level: string;
  status: string;
  occurredAt: string;
  place: string | null;
  /** e.g. a failed result, a risk warning, a complaint, by hand. */
  source: string | null;
  responsible: { name: string; phone?: string | null } | null;
  leadAgency: { regionCode: string; name: string } | null;
  description?: string | null;
}

export interface RecallHolderProgress {
  entityId: string;
  name: string;
  regionCode: string;
  affected: number;
  recovered: number;
  destroyed: number;
  soldToConsumers: number;
  unit: string;
  acknowledgedAt: string | null;
}

export interface RecallProgress {
  unit: string;
  affected: number;
  accountedFor: number;
  byRegion: { regionCode: string; affected: number; accountedFor: number }[];
  byHolder: RecallHolderProgress[];
}

/** The latest sealed checkpoint the report is anchored to (as `GET /api/v1/audit/checkpoints` lists it). */
export interface ReportCheckpoint {
  sequence: number;
  fromPosition: number;
  toPosition: number;
  eventCount: number;
  merkleRoot: string;
  previousRoot: string;
  sealedAt: string;
  keyId: string;
  signature: string;
}
