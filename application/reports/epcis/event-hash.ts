import { createHash } from 'node:crypto';
import { canonicalIdentifier } from './digital-link';

/**
 * The CBV 2.0 "EPCIS Event Hash ID" (CBV 2.0 §8.9; reference implementation RalphTro/epcis-event-hash-generator):
 * a syntax-independent fingerprint of one EPCIS event, `ni:///sha-256;{hex}?ver=CBV2.0`. Every event of our
 * EPCIS export carries it as its `eventID`, so a receiver can recompute and check it without our code.
 *
 * The pre-hash string is `eventType=…` followed by the event's fields in the canonical order below, each
 * `name=value` (lists: the list name, then its elements sorted), then every other field (ilmd, extensions)
 * in sorted generic form; `eventID`, `recordTime`, `errorDeclaration` and comments are left out. Values are normalised first: times to UTC
 * with milliseconds, numbers without redundant zeros, CBV short names and URNs to the web vocabulary, EPC
 * URNs to canonical GS1 Digital Link. Byte format and test vectors: docs/decisions/0014-trace-reports.md.
 */

interface Node {
  name: string;
  value: string;
  children: Node[];
}

type Order = [string, Order | null][];

const QUANTITY: Order = [['quantityElement', [['epcClass', null], ['quantity', null], ['uom', null]]]];
/** A typed list element ({type, bizTransaction}) has no name of its own in the pre-hash: `#` marks it. */
const TYPED = (name: string): Order => [[`#${name}`, [['type', null], [name, null]]]];

/** The canonical order (as the reference vectors at commit 5d2f1c38 use it: destinationList before sourceList). */
const PROP_ORDER: Order = [
  ['eventTime', null],
  ['eventTimeZoneOffset', null],
  ['certificationInfo', null],
  ['epcList', [['epc', null]]],
  ['parentID', null],
  ['inputEPCList', [['epc', null]]],
  ['childEPCs', [['epc', null]]],
  ['quantityList', QUANTITY],
  ['childQuantityList', QUANTITY],
  ['inputQuantityList', QUANTITY],
  ['outputEPCList', [['epc', null]]],
  ['outputQuantityList', QUANTITY],
  ['action', null],
  ['transformationID', null],
  ['bizStep', null],
  ['disposition', null],
  ['persistentDisposition', [['set', null], ['unset', null]]],
  ['readPoint', [['id', null]]],
  ['bizLocation', [['id', null]]],
  ['bizTransactionList', TYPED('bizTransaction')],
  ['destinationList', TYPED('destination')],
  ['sourceList', TYPED('source')],
  [
    'sensorElementList',
    [
      [
        'sensorElement',
        [
          ['sensorMetadata', ['time', 'startTime', 'endTime', 'deviceID', 'deviceMetadata', 'rawData', 'dataProcessingMethod', 'bizRules'].map((n) => [n, null] as [string, null])],
          [
            'sensorReport',
            ['type', 'exception', 'deviceID', 'deviceMetadata', 'rawData', 'dataProcessingMethod', 'time', 'microorganism', 'chemicalSubstance', 'value', 'component', 'stringValue', 'booleanValue', 'hexBinaryValue', 'uriValue', 'minValue', 'maxValue', 'meanValue', 'sDev', 'percRank', 'percValue', 'uom', 'coordinateReferenceSystem'].map(
              (n) => [n, null] as [string, null],
            ),
          ],
        ],
      ],
    ],
  ],
];

/** JSON arrays whose elements are named children in the XML binding the algorithm is defined on. */
const LIST_ELEMENT: Record<string, string> = {
  epcList: 'epc',
  inputEPCList: 'epc',
  outputEPCList: 'epc',
  childEPCs: 'epc',
  quantityList: 'quantityElement',
  childQuantityList: 'quantityElement',
  inputQuantityList: 'quantityElement',
  outputQuantityList: 'quantityElement',
  bizTransactionList: '#bizTransaction',
  sourceList: '#source',
  destinationList: '#destination',
  sensorElementList: 'sensorElement',
  correctiveEventIDs: 'correctiveEventID',
};

/** CBV / GS1 web-vocabulary prefixes for short names, by field (and parent, for `type`). */
const CBV = 'https://ref.gs1.org/cbv/';
const GS1 = 'https://gs1.org/voc/';
function vocabularyPrefix(field: string, parent: string): string | null {
  switch (field) {
    case 'bizStep':
      return `${CBV}BizStep-`;
    case 'disposition':
    case 'set':
    case 'unset':
      return `${CBV}Disp-`;
    case 'reason':
      return `${CBV}ER-`;
    case 'component':
      return `${CBV}Comp-`;
    case 'exception':
      return GS1;
    case 'type':
      if (parent === '#bizTransaction') return `${CBV}BTT-`;
      if (parent === '#source' || parent === '#destination') return `${CBV}SDT-`;
      if (parent === 'sensorReport') return GS1;
      return null;
    default:
      return null;
  }
}

/** Prefixes the standard EPCIS 2.0 context defines for extension names and values. */
const STANDARD_PREFIXES: Record<string, string> = {
  epcis: 'https://ref.gs1.org/epcis/',
  cbv: CBV,
  gs1: GS1,
  cbvmda: 'urn:epcglobal:cbv:mda:',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  owl: 'http://www.w3.org/2002/07/owl#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcterms: 'http://purl.org/dc/terms/',
};

export interface HashableEvent {
  type: string;
  [field: string]: unknown;
}

/** Namespace prefixes declared in a document's `@context` (objects in the array), over the standard ones. */
export function prefixesOf(context: unknown): Record<string, string> {
  const out: Record<string, string> = { ...STANDARD_PREFIXES };
  for (const entry of Array.isArray(context) ? context : [context]) {
    if (entry && typeof entry === 'object') {
      for (const [k, v] of Object.entries(entry as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
    }
  }
  return out;
}

/**
 * Left out of the hash: the event's type (it leads the string), its id and record time (a repository sets them),
 * an error declaration (declaring an error must not change the id it refers to) and comments.
 */
const NOT_HASHED = new Set(['type', '@context', 'eventID', 'recordTime', 'errorDeclaration', `{${STANDARD_PREFIXES.rdfs}}comment`]);

export function eventPreHash(event: HashableEvent, prefixes: Record<string, string> = STANDARD_PREFIXES): string {
  const children = Object.entries(event)
    .filter(([k]) => !NOT_HASHED.has(k) && !NOT_HASHED.has(expandName(k, prefixes)))
    .flatMap(([k, v]) => toNodes(k, v, prefixes));
  const ordered = inOrder(children, PROP_ORDER, 'event');
  return `eventType=${event.type}${ordered}${generic(children, 'event')}`;
}

export function eventHashId(event: HashableEvent, prefixes?: Record<string, string>): string {
  const digest = createHash('sha256').update(eventPreHash(event, prefixes), 'utf8').digest('hex');
  return `ni:///sha-256;${digest}?ver=CBV2.0`;
}

function expandName(key: string, prefixes: Record<string, string>): string {
  const i = key.indexOf(':');
  if (i > 0 && !key.startsWith('http')) {
    const ns = prefixes[key.slice(0, i)];
    if (ns) return `{${ns}}${key.slice(i + 1)}`;
  }
  return key;
}

/** One JSON member as nodes of the XML-shaped tree: a plain array repeats the element, a list container names its elements. */
function toNodes(key: string, value: unknown, prefixes: Record<string, string>): Node[] {
  const name = expandName(key, prefixes);
  if (Array.isArray(value)) {
    const element = LIST_ELEMENT[key];
    if (element) return [{ name, value: '', children: value.flatMap((v) => toNodes(element, v, prefixes)) }];
    return value.flatMap((v) => toNodes(key, v, prefixes));
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    // { type, bizTransaction } / { type, source } … keep their own names; objects' members become children.
    return [{ name, value: '', children: entries.flatMap(([k, v]) => toNodes(k, v, prefixes)) }];
  }
  if (value === null || value === undefined) return [];
  return [{ name, value: String(value), children: [] }];
}

/** The ordered part: each named field in turn, its occurrences rendered and sorted; rendered nodes leave the list. */
function inOrder(children: Node[], order: Order, parent: string): string {
  let out = '';
  for (const [name, sub] of order) {
    const matching = children.filter((c) => c.name === name);
    const rendered: string[] = [];
    for (const child of matching) {
      const text = render(child, sub, parent);
      if (text) rendered.push(text);
      if (child.children.length === 0) children.splice(children.indexOf(child), 1);
    }
    rendered.sort(byCodePoint);
    out += rendered.join('');
  }
  return out;
}

function render(node: Node, sub: Order | null, parent: string): string {
  const inner = sub ? inOrder(node.children, sub, node.name) + generic(node.children, node.name) : '';
  if (sub) node.children.length = 0;
  const text = node.value.trim() ? `=${canonicalValue(node.name, node.value.trim(), parent)}` : '';
  return text || inner ? displayName(node.name) + text + inner : '';
}

/** Whatever the order does not name (ilmd, extensions), recursively and sorted. */
function generic(children: Node[], parent: string): string {
  const parts = children.map((c) => {
    const text = c.value.trim() ? `=${canonicalValue(c.name, c.value.trim(), parent)}` : '';
    return displayName(c.name) + text + generic(c.children, c.name);
  });
  return parts.sort(byCodePoint).join('');
}

function displayName(name: string): string {
  return name.startsWith('#') ? '' : name;
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isTimeField(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.includes('time') && !lower.includes('offset');
}

function canonicalValue(name: string, value: string, parent: string): string {
  if (isTimeField(name)) {
    const t = canonicalTime(value);
    if (t) return t;
  }
  const prefix = vocabularyPrefix(name, parent);
  if (prefix && /^[A-Za-z][\w-]*$/.test(value)) return prefix + value;
  const curie = /^(cbv|gs1):(.+)$/.exec(value);
  if (curie) return (curie[1] === 'cbv' ? CBV : GS1) + curie[2];
  const id = canonicalIdentifier(value);
  if (id) return id;
  return canonicalNumber(value) ?? value;
}

/** UTC, `Z`, exactly three fraction digits (the fourth rounds half up), as the reference does. */
export function canonicalTime(value: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(value);
  if (!m) return null;
  const fraction = m[2] ?? '';
  let ms = Number((fraction + '000').slice(0, 3));
  if (fraction.length > 3 && Number(fraction[3]) >= 5) ms += 1;
  const base = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(base)) return null;
  return new Date(base + ms).toISOString();
}

/** Numbers lose leading "+", leading and trailing zeros and a trailing ".0" (Python's float → str, as the reference). */
function canonicalNumber(value: string): string | null {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value)) return null;
  const n = Number(value);
  if (!Number.isFinite(n)) return null;
  if (Number.isInteger(n)) return BigInt(n).toString();
  return String(n);
}
