import type { ChainFlow, ChainNode, ChainSynthesis } from '../chain-synthesis';
import { eventHashId, prefixesOf, type HashableEvent } from './event-hash';

/**
 * A chain synthesis as an EPCIS 2.0 JSON-LD document (GS1), for a buyer or regulator abroad: commissioning
 * of every origin lot, shipping and receiving of every hand-over, off-ledger sale and market entry as
 * ObjectEvents, and the split of a lot into the receiver's new lot (a confirmed hand-over gives it a new
 * trace code) as a TransformationEvent. Each event's `eventID` is its CBV 2.0 event hash.
 *
 * Identifiers (docs/decisions/0014-trace-reports.md): a lot is a class of goods, so it goes in `quantityList`
 * with `epcClass` = its label URI `{PUBLIC_URL}/t/{traceCode}` (what the QR encodes, GS1-Digital-Link style,
 * but not a GS1 key: we have no GS1 company prefixes). Parties and locations are `urn:suyuan:…` URIs by e-ID.
 */
export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const CHINA_OFFSET = '+08:00';

export interface EpcisOptions {
  /** Base of the label URIs, e.g. https://suyuan.example.gov.cn (no trailing slash). */
  publicUrl: string;
  /** The document's creation time (ISO); passed in so the document is a pure function of its inputs. */
  generatedAt: string;
}

export interface EpcisDocument {
  '@context': [string, Record<string, string>];
  type: 'EPCISDocument';
  schemaVersion: '2.0';
  creationDate: string;
  epcisBody: { eventList: EpcisEvent[] };
}

export type EpcisEventBody = HashableEvent & { eventTime: string; eventTimeZoneOffset: string };
export type EpcisEvent = EpcisEventBody & { eventID: string };

/** Our extension namespace (event extensions and ilmd fields are `suyuan:…`). */
export function suyuanNamespace(publicUrl: string): string {
  return `${publicUrl.replace(/\/$/, '')}/ns/epcis/`;
}

export function lotUri(publicUrl: string, traceCode: string): string {
  return `${publicUrl.replace(/\/$/, '')}/t/${encodeURIComponent(traceCode)}`;
}

const party = (eid: string) => `urn:suyuan:party:${eid}`;
const location = (eid: string) => `urn:suyuan:location:${eid}`;
const baseLocation = (baseId: string) => `urn:suyuan:base:${encodeURIComponent(baseId)}`;
const offLedgerParty = (shipmentId: string) => `urn:suyuan:offledger:${encodeURIComponent(shipmentId)}`;
const marketLocation = (regionCode: string | null, certificateNo: string) => `urn:suyuan:market:${regionCode ?? 'unknown'}:${encodeURIComponent(certificateNo)}`;

/** UN/ECE Rec. 20 codes; count units (piece, head, box, crate) carry no uom (a count of instances, per EPCIS). */
function quantityElement(epcClass: string, amount: number, unit: string): { epcClass: string; quantity: number; uom?: string } {
  switch (unit) {
    case 'kg':
      return { epcClass, quantity: amount, uom: 'KGM' };
    case 'g':
      return { epcClass, quantity: amount, uom: 'GRM' };
    case 't':
      return { epcClass, quantity: amount, uom: 'TNE' };
    case 'jin': // 市斤 = 0.5 kg
      return { epcClass, quantity: amount / 2, uom: 'KGM' };
    default:
      return { epcClass, quantity: amount };
  }
}

export function epcisDocument(synthesis: ChainSynthesis, opts: EpcisOptions): EpcisDocument {
  const ns = suyuanNamespace(opts.publicUrl);
  const context: EpcisDocument['@context'] = [EPCIS_CONTEXT, { suyuan: ns }];
  const prefixes = prefixesOf(context);
  const byCode = new Map(synthesis.nodes.map((n) => [n.traceCode, n]));
  const cls = (code: string) => lotUri(opts.publicUrl, code);
  const events: EpcisEventBody[] = [];

  for (const n of synthesis.nodes.filter((x) => x.isOrigin)) events.push(commissioning(n, cls));
  for (const flow of synthesis.edges) {
    const from = byCode.get(flow.from);
    if (!from) continue;
    events.push(shipping(flow, from, cls));
    if (flow.kind === 'transfer' && flow.to) {
      const to = byCode.get(flow.to);
      if (!to) continue;
      events.push(receiving(flow, from, to, cls));
      events.push(split(flow, from, to, cls));
    }
  }
  events.sort((a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : 0));

  return {
    '@context': context,
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: opts.generatedAt,
    epcisBody: { eventList: events.map((e) => ({ ...e, eventID: memoisedHashId(e, prefixes) }) as EpcisEvent) },
  };
}

/**
 * CBV event hash IDs kept for the process, by the event's JSON and the document's prefixes. The hash is a pure
 * function of both, and the canonical pre-hash string (the CBV 2.0 algorithm: ordered fields, expanded names,
 * canonical values) was ≈ 90 % of an export's time (≈ 200 µs an event, 3,400 events for a 1,000-lot chain); an
 * incident's chain exported again after a change repeats nearly all of its events. The JSON key costs ≈ 2 µs.
 */
const hashIds = new Map<string, string>();
const HASH_IDS_KEPT = 100_000;
/** JSON writes NaN and ±Infinity as null, which the hash does not skip as it skips null: key them apart. */
const nonFinite = (_: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { '\u0000number': String(v) } : v);
let hashPrefixes: { prefixes: Record<string, string>; key: string } | null = null;
function memoisedHashId(event: EpcisEventBody, prefixes: Record<string, string>): string {
  if (hashPrefixes?.prefixes !== prefixes) hashPrefixes = { prefixes, key: JSON.stringify(Object.entries(prefixes).sort()) };
  const key = `${hashPrefixes.key}\n${JSON.stringify(event, nonFinite)}`;
  let id = hashIds.get(key);
  if (id === undefined) {
    id = eventHashId(event, prefixes);
    if (hashIds.size >= HASH_IDS_KEPT) hashIds.clear();
    hashIds.set(key, id);
  }
  return id;
}

function lotMasterData(n: ChainNode): Record<string, unknown> {
  return {
    'cbvmda:lotNumber': n.traceCode,
    'cbvmda:countryOfOrigin': 'CN',
    'suyuan:product': n.product,
    ...(n.producedAt ? { 'suyuan:productionDate': n.producedAt } : {}),
    ...(n.base ? { 'suyuan:baseRegionCode': n.base.regionCode, 'suyuan:baseName': n.base.name, 'suyuan:baseLatitude': n.base.lat, 'suyuan:baseLongitude': n.base.lon } : {}),
    ...(n.parentTraceCode ? { 'suyuan:parentTraceCode': n.parentTraceCode } : {}),
  };
}

function holderLocation(n: ChainNode): string {
  return n.holder.eid ? location(n.holder.eid) : `urn:suyuan:location:entity:${encodeURIComponent(n.holder.entityId)}`;
}

function holderParty(n: ChainNode): string {
  return n.holder.eid ? party(n.holder.eid) : `urn:suyuan:party:entity:${encodeURIComponent(n.holder.entityId)}`;
}

function commissioning(n: ChainNode, cls: (code: string) => string): EpcisEventBody {
  return {
    type: 'ObjectEvent',
    eventTime: n.createdAt ?? `${n.producedAt}T00:00:00.000Z`,
    eventTimeZoneOffset: CHINA_OFFSET,
    quantityList: [quantityElement(cls(n.traceCode), n.quantities.received, n.quantities.unit)],
    action: 'ADD',
    bizStep: 'commissioning',
    disposition: 'active',
    ...(n.base ? { readPoint: { id: baseLocation(n.base.baseId) } } : {}),
    bizLocation: { id: holderLocation(n) },
    ilmd: lotMasterData(n),
  };
}

function destinationOf(flow: ChainFlow): { type: string; destination: string }[] {
  if (flow.kind === 'transfer' && flow.receiver.eid)
    return [
      { type: 'owning_party', destination: party(flow.receiver.eid) },
      { type: 'possessing_party', destination: party(flow.receiver.eid) },
      { type: 'location', destination: location(flow.receiver.eid) },
    ];
  if (flow.kind === 'market-entry') return [{ type: 'location', destination: marketLocation(flow.toRegion, flow.transferId) }];
  return [{ type: 'owning_party', destination: offLedgerParty(flow.transferId) }];
}

function shipping(flow: ChainFlow, from: ChainNode, cls: (code: string) => string): EpcisEventBody {
  return {
    type: 'ObjectEvent',
    eventTime: flow.at,
    eventTimeZoneOffset: CHINA_OFFSET,
    quantityList: [quantityElement(cls(from.traceCode), flow.quantity, flow.unit)],
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    readPoint: { id: holderLocation(from) },
    bizTransactionList: [{ type: flow.kind === 'market-entry' ? 'urn:suyuan:btt:market-entry-certificate' : 'desadv', bizTransaction: `urn:suyuan:${flow.kind}:${encodeURIComponent(flow.transferId)}` }],
    sourceList: [
      { type: 'owning_party', source: holderParty(from) },
      { type: 'possessing_party', source: holderParty(from) },
      { type: 'location', source: holderLocation(from) },
    ],
    destinationList: destinationOf(flow),
    'suyuan:flowKind': flow.kind,
    ...(flow.kind !== 'transfer' && flow.receiver.name ? { 'suyuan:receiverName': flow.receiver.name } : {}),
  };
}

function receiving(flow: ChainFlow, from: ChainNode, to: ChainNode, cls: (code: string) => string): EpcisEventBody {
  return {
    type: 'ObjectEvent',
    eventTime: flow.at,
    eventTimeZoneOffset: CHINA_OFFSET,
    quantityList: [quantityElement(cls(from.traceCode), flow.quantity, flow.unit)],
    action: 'OBSERVE',
    bizStep: 'receiving',
    disposition: 'in_progress',
    readPoint: { id: holderLocation(to) },
    bizLocation: { id: holderLocation(to) },
    bizTransactionList: [{ type: 'desadv', bizTransaction: `urn:suyuan:transfer:${encodeURIComponent(flow.transferId)}` }],
    sourceList: [{ type: 'owning_party', source: holderParty(from) }],
    destinationList: [{ type: 'owning_party', destination: holderParty(to) }],
  };
}

/** The shipped part of the parent lot becomes the receiver's own lot with a new trace code. */
function split(flow: ChainFlow, from: ChainNode, to: ChainNode, cls: (code: string) => string): EpcisEventBody {
  return {
    type: 'TransformationEvent',
    eventTime: to.createdAt ?? flow.at,
    eventTimeZoneOffset: CHINA_OFFSET,
    inputQuantityList: [quantityElement(cls(from.traceCode), flow.quantity, flow.unit)],
    outputQuantityList: [quantityElement(cls(to.traceCode), to.quantities.received, to.quantities.unit)],
    transformationID: `urn:suyuan:transfer:${encodeURIComponent(flow.transferId)}`,
    bizStep: 'commissioning',
    disposition: 'active',
    readPoint: { id: holderLocation(to) },
    bizLocation: { id: holderLocation(to) },
    ilmd: lotMasterData(to),
  };
}
