import { synthesiseChain } from '../../../../application/reports/chain-synthesis';
import { foldIntoMemory, generateTree } from './support/recall-tree';

describe('synthesiseChain (追溯链条合成) on a generated recall tree', () => {
  const tree = generateTree({ lots: 120, fanOut: 3 });
  const modelsP = foldIntoMemory(tree.events);

  /** Descendants of a lot, from the generator's own events (the expected answer, computed independently). */
  function descendants(code: string): Set<string> {
    const children = new Map<string, string[]>();
    for (const e of tree.events.filter((x) => x.type === 'TransferConfirmed')) {
      const d = e.data as { fromTraceCode: string; childTraceCode: string };
      children.set(d.fromTraceCode, [...(children.get(d.fromTraceCode) ?? []), d.childTraceCode]);
    }
    const out = new Set<string>([code]);
    for (const c of out) for (const k of children.get(c) ?? []) out.add(k);
    return out;
  }

  it('walks back to the origin and forward to every holder below the incident lot', async () => {
    const models = await modelsP;
    const start = tree.traceCodes[5]!; // depth 2: origin → R0001 → R0005
    const s = await synthesiseChain(models, [start], { asOfPosition: 42 });
    const expected = new Set([...descendants(start), 'R0001', tree.origin]);
    expect(new Set(s.nodes.map((n) => n.traceCode))).toEqual(expected);
    expect(s.nodes[0]!.traceCode).toBe(tree.origin);
    expect(s.nodes[0]!.isOrigin).toBe(true);
    expect(s.rootTraceCodes).toEqual([start]);
    expect(s.asOfPosition).toBe(42);
    expect(s.truncated).toBe(false);
  });

  it('gives every node its holder with contact, region and quantities that add up', async () => {
    const s = await synthesiseChain(await modelsP, [tree.origin]);
    expect(s.nodes).toHaveLength(120);
    for (const n of s.nodes) {
      expect(n.holder.contact.person).toMatch(/^联系人/);
      expect(n.holder.contact.phone).toMatch(/^1380000/);
      expect(n.holder.regionCode).toMatch(/^\d{6}$/);
      expect(n.quantities.shippedOn + n.quantities.remaining).toBe(n.quantities.received);
      const out = s.edges.filter((e) => e.from === n.traceCode).reduce((sum, e) => sum + e.quantity, 0);
      expect(out).toBe(n.quantities.shippedOn);
      if (!n.isOrigin) expect(n.receivedAt).toBe(s.edges.find((e) => e.to === n.traceCode)!.at);
    }
  });

  it('includes hand-overs, off-ledger sales and market entries, and every region they touch', async () => {
    const s = await synthesiseChain(await modelsP, [tree.origin]);
    const kinds = new Set(s.edges.map((e) => e.kind));
    expect(kinds).toEqual(new Set(['transfer', 'off-ledger', 'market-entry']));
    expect(s.edges.filter((e) => e.kind === 'transfer')).toHaveLength(119);
    for (const e of s.edges.filter((x) => x.kind === 'transfer')) expect(e.toRegion).toBe(s.nodes.find((n) => n.traceCode === e.to)!.holder.regionCode);
    const regions = new Set([...s.nodes.map((n) => n.holder.regionCode), ...s.edges.flatMap((e) => (e.toRegion ? [e.toRegion] : []))]);
    expect(s.regionsTouched).toEqual([...regions].sort());
    expect(new Set(s.regionsTouched.map((r) => r.slice(0, 2))).size).toBeGreaterThanOrEqual(10);
  });

  it('names unknown codes, stops at maxDepth, and can widen to the origin’s other branches', async () => {
    const models = await modelsP;
    const leaf = tree.leaves[0]!;
    const s = await synthesiseChain(models, [leaf, 'NOPE']);
    expect(s.unknownTraceCodes).toEqual(['NOPE']);
    expect(s.nodes.every((n) => n.traceCode === leaf || descendants(n.traceCode).has(leaf))).toBe(true);
    const wide = await synthesiseChain(models, [leaf], { forwardFromOrigins: true });
    expect(wide.nodes).toHaveLength(120);
    const shallow = await synthesiseChain(models, [tree.origin], { maxDepth: 1 });
    expect(shallow.truncated).toBe(true);
    expect(shallow.nodes.every((n) => n.depth <= 1)).toBe(true);
  });
});
