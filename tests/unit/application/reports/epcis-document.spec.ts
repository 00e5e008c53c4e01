import * as fs from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { synthesiseChain } from '../../../../application/reports/chain-synthesis';
import { epcisDocument, lotUri } from '../../../../application/reports/epcis/epcis-document';
import { eventHashId, prefixesOf } from '../../../../application/reports/epcis/event-hash';
import { foldIntoMemory, generateTree } from './support/recall-tree';
import { interopAvailable, interopFile } from './support/interop';

const PUBLIC_URL = 'https://suyuan.test';

async function documentOfTree() {
  const tree = generateTree({ lots: 40, fanOut: 3 });
  const synthesis = await synthesiseChain(await foldIntoMemory(tree.events), [tree.origin]);
  return { tree, synthesis, doc: epcisDocument(synthesis, { publicUrl: PUBLIC_URL, generatedAt: '2026-11-23T08:00:00.000Z' }) };
}

const withSchema = interopAvailable('EPCIS schema validation') ? it : it.skip;

describe('EPCIS 2.0 export of a chain synthesis', () => {
  withSchema('validates against GS1’s EPCIS 2.0 JSON schema (draft-07, ajv 8 + ajv-formats)', async () => {
    const schema = JSON.parse(fs.readFileSync(interopFile('EPCIS-JSON-Schema.json'), 'utf8'));
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const { doc } = await documentOfTree();
    const ok = validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // The schema is not a rubber stamp: a broken event is refused.
    const broken = structuredClone(doc);
    (broken.epcisBody.eventList[0] as Record<string, unknown>).eventTimeZoneOffset = '+8';
    expect(validate(broken)).toBe(false);
  });

  it('has commissioning per origin, shipping per flow, receiving and a transformation per hand-over', async () => {
    const { synthesis, doc } = await documentOfTree();
    const events = doc.epcisBody.eventList;
    const count = (type: string, bizStep: string) => events.filter((e) => e.type === type && e.bizStep === bizStep).length;
    const transfers = synthesis.edges.filter((e) => e.kind === 'transfer').length;
    expect(count('ObjectEvent', 'commissioning')).toBe(1);
    expect(count('ObjectEvent', 'shipping')).toBe(synthesis.edges.length);
    expect(count('ObjectEvent', 'receiving')).toBe(transfers);
    expect(count('TransformationEvent', 'commissioning')).toBe(transfers);
    const origin = events.find((e) => e.bizStep === 'commissioning' && e.type === 'ObjectEvent')!;
    expect(origin.quantityList).toEqual([{ epcClass: lotUri(PUBLIC_URL, synthesis.nodes[0]!.traceCode), quantity: synthesis.nodes[0]!.quantities.received, uom: 'KGM' }]);
    expect((origin.ilmd as Record<string, unknown>)['cbvmda:lotNumber']).toBe(synthesis.nodes[0]!.traceCode);
    const times = events.map((e) => e.eventTime);
    expect([...times].sort()).toEqual(times);
  });

  it('carries each event’s CBV 2.0 hash as its eventID', async () => {
    const { doc } = await documentOfTree();
    const prefixes = prefixesOf(doc['@context']);
    for (const e of doc.epcisBody.eventList) expect(e.eventID).toBe(eventHashId(e, prefixes));
    expect(new Set(doc.epcisBody.eventList.map((e) => e.eventID)).size).toBe(doc.epcisBody.eventList.length);
  });

  it('gives the same hash IDs when the chain is exported again (kept per event), and a new one when an event changes', async () => {
    const { synthesis, doc } = await documentOfTree();
    const again = epcisDocument(synthesis, { publicUrl: PUBLIC_URL, generatedAt: '2026-11-24T08:00:00.000Z' });
    expect(again.epcisBody.eventList.map((e) => e.eventID)).toEqual(doc.epcisBody.eventList.map((e) => e.eventID));
    // Another quantity on one lot: that lot's events get new IDs, each still the one the algorithm gives.
    const changed = { ...synthesis, nodes: synthesis.nodes.map((n, i) => (i === 0 ? { ...n, quantities: { ...n.quantities, received: n.quantities.received + 1 } } : n)) };
    const other = epcisDocument(changed, { publicUrl: PUBLIC_URL, generatedAt: '2026-11-24T08:00:00.000Z' });
    const prefixes = prefixesOf(other['@context']);
    for (const e of other.epcisBody.eventList) expect(e.eventID).toBe(eventHashId(e, prefixes));
    const before = new Set(doc.epcisBody.eventList.map((e) => e.eventID));
    expect(other.epcisBody.eventList.filter((e) => !before.has(e.eventID)).length).toBeGreaterThan(0);
    // Another public URL is another namespace prefix: no ID is taken from the first document's.
    const elsewhere = epcisDocument(synthesis, { publicUrl: 'https://elsewhere.test', generatedAt: '2026-11-24T08:00:00.000Z' });
    const p2 = prefixesOf(elsewhere['@context']);
    for (const e of elsewhere.epcisBody.eventList) expect(e.eventID).toBe(eventHashId(e, p2));
  });
});
