/** Shapes of the API responses the app reads (see /api/docs/openapi.json and the read models). */
export interface Quantity {
  amount: number;
  unit: string;
}

export interface PublicHolder {
  name: string;
  entityType: string | null;
  regionCode: string;
  regionName: string;
}

/** Lab verdicts and risk warnings come from the quality features; their fields are read defensively. */
export type Finding = Record<string, unknown>;

export interface ConsumerView {
  traceCode: string;
  product: string;
  productionDate: string;
  quantity: Quantity;
  status: 'normal' | 'on-hold' | string;
  origin: {
    entity: PublicHolder;
    base: { name: string; regionCode: string; regionName: string; lat: number; lon: number };
    traceCode: string;
  };
  chain: { traceCode: string; holder: PublicHolder; date: string; place: string; quantity: Quantity }[];
  certificates: { certificateNo: string; market: { name: string; kind: string; regionCode: string }; issuedAt: string }[];
  verdicts: Finding[];
  warnings: Finding[];
  /** Every putting-on-hold and lifting of the lot, oldest first (absent from servers before holds history). */
  holdHistory?: HoldEvent[];
}

export interface HoldEvent {
  event: 'held' | 'lifted';
  holdId: string;
  kind: 'failed-result' | 'case' | 'incident';
  decision: 'retest-passed' | 'case-closed' | 'incident-closed' | null;
  reason: string;
  at: string;
  sourceTraceCode: string | null;
}

export interface Base {
  baseId: string;
  name: string;
  regionCode: string;
  address?: string;
  lat: number;
  lon: number;
  areaMu?: number | null;
  products?: string[];
}

export interface Entity {
  _id: string;
  entityId: string;
  name: string;
  entityType: string;
  regionCode: string;
  address: string;
  legalRepresentative: string;
  contactPhone: string;
  creditCode?: string | null;
  bases: Base[];
  products: string[];
  appliedAt: string;
  reviewDeadline?: string;
  status: 'pending' | 'approved' | 'rejected' | string;
  eid: string | null;
  rejectionReason?: string;
}

export interface Certificate {
  certificateNo: string;
  market: { name: string; kind: string; regionCode: string };
  quantity: Quantity;
  qrPayload: string;
  issuedAt: string;
}

export interface Lot {
  _id: string;
  traceCode: string;
  product: string;
  quantity: Quantity;
  unit: string;
  available: number;
  reserved: number;
  shipped: number;
  status: string;
  holder: { entityId: string; eid: string | null; name: string; regionCode: string };
  base: { baseId: string; name: string; regionCode: string; lat: number; lon: number };
  regionCode: string;
  productionDate: string;
  createdAt: string;
  parentTraceCode: string | null;
  rootTraceCode: string;
  depth: number;
  certificates: Certificate[];
  offLedgerShipments: { shipmentId: string; quantity: Quantity; receiver: Record<string, unknown>; at: string }[];
  holds: Finding[];
  verdicts: Finding[];
}

export interface Page<T> {
  total: number;
  page: number;
  size: number;
  items: T[];
}

export interface SearchHit {
  id: string;
  kind: 'entity' | 'base' | 'lot' | string;
  title: string;
  score: number;
  regionCode: string;
  payload: Record<string, unknown>;
  product?: string;
  type?: string;
  date?: string;
  location?: { lat: number; lon: number };
}

export interface SearchResult {
  total: number;
  page: number;
  size: number;
  hits: SearchHit[];
  facets: Record<string, { value: string; count: number }[]>;
}

export interface RegionItem {
  code: string;
  name: string;
  level: 'province' | 'city' | 'county';
  fullName: string;
}

export interface ChainEdge {
  from: string;
  to: string | null;
  kind: 'transfer' | 'off-ledger';
  transferId: string;
  quantity: number;
  unit: string;
  at: string;
  receiver: Record<string, unknown>;
}

export type ChainLot = Lot | { _id: string; regionCode: string; redacted: true };

export interface TraceChain {
  traceCode: string;
  direction: string;
  lots: ChainLot[];
  edges: ChainEdge[];
  origin: string | null;
  holders: { entityId: string; name: string; eid: string | null; traceCodes: string[] }[];
  truncated: boolean;
  depthReached: number;
}

export interface Transfer {
  _id: string;
  transferId: string;
  status: 'pending' | 'confirmed' | 'rejected' | 'closed' | string;
  fromTraceCode: string;
  fromEntityId: string;
  fromEid: string;
  product: string;
  quantity: Quantity;
  to: { kind: 'registered' | 'unregistered'; entityId?: string; eid?: string; name?: string };
  toEntityId?: string;
  fromRegion: string;
  toRegion?: string;
  initiatedAt: string;
  settledAt?: string;
  childTraceCode?: string;
  reason?: string;
}

export interface RecordedEvent {
  eventId: string;
  type: string;
  schemaVersion: number;
  streamId: string;
  revision: number;
  occurredAt: string;
  recordedAt: string;
  actor: { userId: string; orgId: string; role: string; regionCode?: string };
  commandId: string;
  correlationId: string | null;
  causationId: string | null;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
  position: number;
}

export interface StreamHistory {
  streamId: string;
  asOf: string | null;
  events: RecordedEvent[];
  state: unknown;
  revision: number | null;
  totalEvents: number;
  integrity: { ok: boolean; break: Record<string, unknown> | null };
}

export interface VerifyReport {
  ok: boolean;
  scope: 'ledger' | 'stream';
  streamId?: string;
  eventsChecked: number;
  streamsChecked: number;
  headPosition: number;
  breaks: Record<string, unknown>[];
  checkedAt: string;
}

/* 应急事件 and 召回 (issue 12): /api/v1/incidents…, /api/v1/recalls… */
export type IncidentStatus = 'recorded' | 'responding' | 'declined' | 'closed';

export interface IncidentSummary {
  incidentId: string;
  title: string;
  category: string;
  level: string;
  status: IncidentStatus | string;
  occurredAt: string;
  place: { address: string; regionCode: string };
  /** '' = the ministry leads. */
  leadRegionCode: string;
  leadLevel: string;
  recordedAt: string;
}

export interface HandlingEntry {
  seq: number;
  kind: 'action' | 'document' | 'personnel' | string;
  description: string;
  documents: { name: string; sha256: string | null }[];
  people: { name: string; role: string; phone: string | null }[];
  at: string;
  by: string;
}

/** Totals per measure: mass in kg, each count unit on its own. */
export type RecallTotals = Record<string, { affected: number; accountedFor: number }>;

export interface IncidentDetail extends IncidentSummary {
  description: string;
  source: { kind: string; warningId?: string; sampleId?: string; complainant?: string };
  responsible: { userId: string; name: string; phone: string | null };
  regionsTouched: string[];
  traceCodes: string[];
  namedTraceCodes: string[];
  review: { decision: string; opinion: string; at: string; by: string } | null;
  responseStartedAt: string | null;
  recallDeadline: string | null;
  escalations: { from: string; to: string; at: string }[];
  grading: { from: string; to: string; reason: string; at: string }[];
  noticeIds: string[];
  closedAt: string | null;
  record: { summary: string; cause: string; measures: string; outcome: string } | null;
  handlingLog: HandlingEntry[];
}

export interface ChainNodeView {
  traceCode: string;
  product: string;
  holder: {
    entityId: string;
    name: string;
    eid: string | null;
    regionCode: string;
    address: string | null;
    contact: { person: string | null; phone: string | null };
  };
  base: { name: string; regionCode: string; lat: number; lon: number } | null;
  quantities: { received: number; shippedOn: number; remaining: number; reserved: number; unit: string };
  createdAt: string | null;
  receivedAt: string | null;
  parentTraceCode: string | null;
  depth: number;
  isOrigin: boolean;
  testResults: { verdict: string; analytes: { name: string; value: number | null; unit: string | null; limit: string }[]; at: string | null; inherited: boolean }[];
  holds: { reason: string | null; since: string | null }[];
}

export type IncidentChainNode = ChainNodeView | { ref: string; regionCode: string; redacted: true };

export interface IncidentChain {
  incidentId: string;
  status: string;
  leadRegionCode: string;
  nodes: IncidentChainNode[];
  edges: { kind: string; from: string; to: string | null; quantity?: number; unit?: string; at: string; receiver?: { name: string }; redacted?: true }[];
  regionsTouched: string[];
  truncated: boolean;
  openedByGrantOf: string | null;
  redactedCount: number;
}

export interface RecallLotView {
  traceCode: string;
  product: string;
  unit: string;
  received: number;
  passedOn: number;
  affected: number;
  tally: { recovered: number; destroyed: number; soldToConsumers: number };
  accountedFor: number;
}

export interface RecallNotice {
  incidentId: string;
  holder: { entityId: string; name: string; eid: string | null; regionCode: string; contact: { person: string | null; phone: string | null } };
  holderEntityId: string;
  regionCode: string;
  lots: RecallLotView[];
  status: 'notified' | 'acknowledged' | string;
  deadline: string;
  issuedAt: string;
  acknowledgedAt: string | null;
  escalatedAt: string | null;
  reports: number;
  totals: RecallTotals;
  percent: number;
  incident?: { title: string; status: string; level: string; category: string } | null;
}

export type RecallHolderRow = RecallNotice | { regionCode: string; status: string; percent: number; totals: RecallTotals; escalatedAt: string | null; holder: { regionCode: string; redacted: true } };

export interface RecallProgressView {
  incidentId: string;
  status: string;
  percent: number | null;
  totals: RecallTotals;
  byRegion: Record<string, { totals: RecallTotals; percent: number; holders: number; acknowledged: number; escalated: number }>;
  holders: RecallHolderRow[];
}
