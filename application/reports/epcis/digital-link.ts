/**
 * Canonical identifiers for the CBV 2.0 event hash (CBV 2.0 §8.9, "EPCIS Event Hash ID"): GS1 EPC URNs become
 * canonical GS1 Digital Link URIs on id.gs1.org, other GS1 Digital Link hosts are constrained to id.gs1.org,
 * and the old CBV URNs become the CBV 2.0 web vocabulary. Anything else is returned unchanged (our own
 * lot URIs are not GS1 keys and stay as they are).
 */
const DL = 'https://id.gs1.org';

/** GS1 mod-10 check digit over a string of digits. */
export function gs1CheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = digits.charCodeAt(digits.length - 1 - i) - 48;
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** Percent-encoding of a Digital Link path value: RFC 3986 unreserved stay, plus the apostrophe (as the reference tool does). */
function dlEncode(raw: string): string {
  return encodeURIComponent(raw).replace(/[!()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function urnDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** GTIN-14 from company prefix and indicator + item reference (EPC Tag Data Standard). */
function gtin(cp: string, indicatorAndItem: string): string {
  const body = indicatorAndItem.slice(0, 1) + cp + indicatorAndItem.slice(1);
  return body + gs1CheckDigit(body);
}

function withCheck(body: string): string {
  return body + gs1CheckDigit(body);
}

type UrnRule = (parts: string[]) => string | null;

const ID_RULES: Record<string, UrnRule> = {
  sgtin: ([cp, ir, serial]) => `${DL}/01/${gtin(cp!, ir!)}/21/${dlEncode(urnDecode(serial!))}`,
  sscc: ([cp, sr]) => `${DL}/00/${withCheck(sr!.slice(0, 1) + cp + sr!.slice(1))}`,
  sgln: ([cp, lr, ext]) => `${DL}/414/${withCheck(cp! + lr!)}${ext && ext !== '0' ? `/254/${dlEncode(urnDecode(ext))}` : ''}`,
  pgln: ([cp, pr]) => `${DL}/417/${withCheck(cp! + (pr ?? ''))}`,
  grai: ([cp, at, serial]) => `${DL}/8003/${withCheck('0' + cp! + at!)}${dlEncode(urnDecode(serial ?? ''))}`,
  giai: ([cp, iar]) => `${DL}/8004/${cp}${dlEncode(urnDecode(iar!))}`,
  gsrn: ([cp, sr]) => `${DL}/8018/${withCheck(cp! + sr!)}`,
  gsrnp: ([cp, sr]) => `${DL}/8017/${withCheck(cp! + sr!)}`,
  gdti: ([cp, dt, serial]) => `${DL}/253/${withCheck(cp! + dt!)}${dlEncode(urnDecode(serial ?? ''))}`,
  sgcn: ([cp, ct, serial]) => `${DL}/255/${withCheck(cp! + ct!)}${dlEncode(urnDecode(serial ?? ''))}`,
  ginc: ([cp, ref]) => `${DL}/401/${cp}${dlEncode(urnDecode(ref!))}`,
  gsin: ([cp, sr]) => `${DL}/402/${withCheck(cp! + sr!)}`,
  cpi: ([cp, ref, serial]) => `${DL}/8010/${cp}${dlEncode(urnDecode(ref!))}/8011/${serial}`,
  itip: ([cp, ir, piece, total, serial]) => `${DL}/8006/${gtin(cp!, ir!)}${piece}${total}/21/${dlEncode(urnDecode(serial!))}`,
  upui: ([cp, ir, tpx]) => `${DL}/01/${gtin(cp!, ir!)}/235/${dlEncode(urnDecode(tpx!))}`,
};

/** Patterns and classes: the key without the wildcard part. */
const CLASS_RULES: Record<string, UrnRule> = {
  lgtin: ([cp, ir, lot]) => `${DL}/01/${gtin(cp!, ir!)}/10/${dlEncode(urnDecode(lot!))}`,
  sgtin: ([cp, ir]) => `${DL}/01/${gtin(cp!, ir!)}`,
  grai: ([cp, at]) => `${DL}/8003/${withCheck('0' + cp! + at!)}`,
  gdti: ([cp, dt]) => `${DL}/253/${withCheck(cp! + dt!)}`,
  sgcn: ([cp, ct]) => `${DL}/255/${withCheck(cp! + ct!)}`,
  cpi: ([cp, ref]) => `${DL}/8010/${cp}${dlEncode(urnDecode(ref!))}`,
  itip: ([cp, ir, piece, total]) => `${DL}/8006/${gtin(cp!, ir!)}${piece}${total}`,
};

/** Short names some Digital Link URIs use instead of the numeric application identifier. */
const AI_SHORT_NAMES: Record<string, string> = { gtin: '01', sscc: '00', gln: '414', party: '417', grai: '8003', giai: '8004', gsrn: '8018', gsrnp: '8017', gdti: '253', gcn: '255', ginc: '401', gsin: '402', cpid: '8010', itip: '8006', upui: '235', ser: '21', lot: '10', cpsn: '8011', glnx: '254' };
const PRIMARY_AIS = new Set(['01', '00', '414', '417', '8003', '8004', '8018', '8017', '253', '255', '401', '402', '8010', '8006']);

const OLD_CBV: [string, string][] = [
  ['urn:epcglobal:cbv:bizstep:', 'https://ref.gs1.org/cbv/BizStep-'],
  ['urn:epcglobal:cbv:disp:', 'https://ref.gs1.org/cbv/Disp-'],
  ['urn:epcglobal:cbv:btt:', 'https://ref.gs1.org/cbv/BTT-'],
  ['urn:epcglobal:cbv:sdt:', 'https://ref.gs1.org/cbv/SDT-'],
  ['urn:epcglobal:cbv:er:', 'https://ref.gs1.org/cbv/ER-'],
];

/** The canonical form of one identifier value, or null when it is none the hash rewrites. */
export function canonicalIdentifier(value: string): string | null {
  for (const [urn, web] of OLD_CBV) if (value.startsWith(urn)) return web + value.slice(urn.length);
  let m = /^urn:epc:id:([a-z]+):(.*)$/.exec(value);
  if (m && ID_RULES[m[1]!]) return ID_RULES[m[1]!]!(m[2]!.split('.'));
  m = /^urn:epc:(?:class|idpat):([a-z]+):(.*)$/.exec(value);
  if (m && CLASS_RULES[m[1]!]) return CLASS_RULES[m[1]!]!(m[2]!.split('.').filter((p) => p !== '*'));
  return constrainDigitalLink(value);
}

/** Any host, query string dropped, short names mapped to AIs: https://id.gs1.org/{AI}/{key}/… */
function constrainDigitalLink(value: string): string | null {
  const m = /^https?:\/\/[^/]+((?:\/[^?#]*)?)(?:[?#].*)?$/.exec(value);
  if (!m) return null;
  const segments = m[1]!.split('/').filter(Boolean);
  const start = segments.findIndex((s, i) => PRIMARY_AIS.has(AI_SHORT_NAMES[s] ?? s) && i + 1 < segments.length);
  if (start < 0) return null;
  const path = segments.slice(start).map((s, i) => (i % 2 === 0 ? (AI_SHORT_NAMES[s] ?? s) : s));
  if (path.length % 2 !== 0) return null;
  const out = `${DL}/${path.join('/')}`;
  return out === value ? null : out;
}
