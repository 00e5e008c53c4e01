import { checkpointForScope, redactChain, streamPlaceFrom } from '../../../../application/access/redaction';
import type { Checkpoint } from '../../../../application/audit/checkpoints';
import type { TraceChain } from '../../../../application/trace/chain-query';
import type { Actor } from '../../../../domain/shared/actor';

/** Redaction of many-record answers: given a chain or a checkpoint, when a caller of some region asks, then… */
const lot = (code: string, entityId: string, name: string, regionCode: string) => ({
  _id: code,
  _v: 1,
  holder: { entityId, name, eid: `${regionCode}EID${entityId}`, regionCode },
  quantity: { amount: 7319.5, unit: 'kg' },
});

// Hainan origin → Hainan buyer → Shandong buyer, and an off-ledger sale from the Hainan buyer.
const chain: TraceChain = {
  traceCode: 'HN-ORIGIN',
  direction: 'forward',
  lots: [lot('HN-ORIGIN', 'E-hn1', '乐东甲合作社', '469027'), lot('HN-CHILD', 'E-hn2', '乐东乙合作社', '469027'), lot('SD-CHILD', 'E-sd', '栖霞果品公司', '370686')],
  edges: [
    { from: 'HN-ORIGIN', to: 'HN-CHILD', kind: 'transfer', transferId: 'T1', quantity: 4111, unit: 'kg', at: '2026-11-21', receiver: { entityId: 'E-hn2', eid: '469027EIDE-hn2', name: '乐东乙合作社' } },
    { from: 'HN-CHILD', to: 'SD-CHILD', kind: 'transfer', transferId: 'T2', quantity: 222, unit: 'kg', at: '2026-11-22', receiver: { entityId: 'E-sd', eid: '370686EIDE-sd', name: '栖霞果品公司' } },
    { from: 'HN-CHILD', to: null, kind: 'off-ledger', transferId: 'T3', quantity: 333, unit: 'kg', at: '2026-11-23', receiver: { name: '王小二' } },
  ],
  origin: null,
  holders: [
    { entityId: 'E-hn2', name: '乐东乙合作社', eid: '469027EIDE-hn2', traceCodes: ['HN-CHILD'] },
    { entityId: 'E-sd', name: '栖霞果品公司', eid: '370686EIDE-sd', traceCodes: ['SD-CHILD'] },
    { entityId: 'off-ledger:T3', name: '王小二', eid: null, traceCodes: ['HN-CHILD'] },
  ],
  truncated: false,
  depthReached: 2,
};
const shandong: Actor = { role: 'supervisor', regionCode: '370686', orgId: 'org-sd', userId: 'u-sd' };
const hainan: Actor = { role: 'supervisor', regionCode: '469027', orgId: 'org-hn', userId: 'u-hn' };

describe('redactChain', () => {
  it('given a chain through Hainan, a Shandong supervisor sees its own lot and no Hainan name, e-ID, entity id, trace code or quantity', () => {
    const { chain: seen } = redactChain(shandong, chain, []);
    const text = JSON.stringify(seen);
    for (const leak of ['乐东甲合作社', '乐东乙合作社', '469027EID', 'E-hn1', 'E-hn2', 'HN-CHILD', '4111', '王小二', '333'])
      expect(text).not.toContain(leak);
    expect(seen.lots.find((l) => l._id === 'SD-CHILD')).toMatchObject({ holder: { name: '栖霞果品公司' } });
    // The lot asked for keeps its code (the caller gave it); the others get references local to the answer.
    expect(seen.lots.map((l) => l._id)).toEqual(['HN-ORIGIN', 'redacted-1', 'SD-CHILD']);
    // The hand-over to Shandong shows its receiver and quantity: the receiving lot is the caller's.
    expect(seen.edges[1]).toMatchObject({ from: 'redacted-1', to: 'SD-CHILD', quantity: 222, receiver: { name: '栖霞果品公司' } });
    expect(seen.edges[0]).toMatchObject({ redacted: true, receiver: { redacted: true } });
    expect(seen.holders.map((h) => h.entityId)).toEqual(['E-sd']);
  });

  it('given the same chain, a Hainan supervisor sees the Hainan hand-overs whole but not the Shandong receiver', () => {
    const { chain: seen } = redactChain(hainan, chain, []);
    expect(seen.edges[0]).toMatchObject({ receiver: { name: '乐东乙合作社' }, quantity: 4111 });
    expect(seen.edges[1]).toMatchObject({ from: 'HN-CHILD', to: 'redacted-1', quantity: 222, receiver: { redacted: true } });
    expect(JSON.stringify(seen)).not.toContain('栖霞果品公司');
    expect(seen.edges[2]).toMatchObject({ kind: 'off-ledger', receiver: { name: '王小二' } });
    expect(seen.holders.map((h) => h.entityId)).toEqual(['E-hn2', 'off-ledger:T3']);
  });

  it('given a grant naming the Hainan lots, the Shandong caller sees them and the grant is reported as used', () => {
    const grant = { grantId: 'G1', reason: { kind: 'incident-response' as const, incidentId: 'INC-9' }, granteeRegionCodes: ['37'], traceCodes: ['HN-ORIGIN', 'HN-CHILD'], entityIds: [], from: '2026-11-01T00:00:00Z', until: null };
    const { chain: seen, grantsUsed } = redactChain(shandong, chain, [grant]);
    expect(JSON.stringify(seen)).toContain('乐东乙合作社');
    expect(grantsUsed).toEqual([{ grantId: 'G1', incidentId: 'INC-9' }]);
  });
});

describe('checkpointForScope', () => {
  const checkpoint: Checkpoint = {
    sequence: 1,
    fromPosition: 0,
    toPosition: 9,
    eventCount: 9,
    merkleRoot: 'r',
    previousRoot: 'p',
    streamHeads: { 'lot-469027261120AAAAA0001AAAA': 0, 'lot-370686261120BBBBB0001BBBB': 1, 'eid-46902712345X': 0, 'entity-E1': 2, 'entity-E2': 0, 'access-hn-auditor-20261120': 3, 'account-admin': 0 },
    sealedAt: '2026-11-20T00:00:00Z',
    keyId: 'k',
    signature: 's',
  };
  const places = streamPlaceFrom(new Map([['E1', '469027'], ['E2', '370686']]));

  it('given a provincial auditor, only the stream heads of its province are listed, the rest counted', () => {
    const seen = checkpointForScope({ role: 'auditor', regionCode: '46', orgId: 'o', userId: 'u' }, checkpoint, places);
    expect(Object.keys(seen.streamHeads).sort()).toEqual(['eid-46902712345X', 'entity-E1', 'lot-469027261120AAAAA0001AAAA']);
    expect(seen.withheldStreamHeads).toBe(4);
  });

  it('given a national auditor, the checkpoint is unchanged (its signature verifies)', () => {
    expect(checkpointForScope({ role: 'auditor', regionCode: '', orgId: 'o', userId: 'u' }, checkpoint, places)).toBe(checkpoint);
  });
});
