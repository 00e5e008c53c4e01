import {
  clientCommandId,
  commandTypeOf,
  fingerprintKey,
  requestFingerprint,
  scopeCommand,
  scopeMeta,
  systemCommandId,
} from '../../../../application/ledger/idempotency';
import type { CommandMeta } from '../../../../application/ledger/ledger';
import { ShipCommand } from '../../../../application/transfers/ship';
import type { Actor } from '../../../../domain/shared/actor';

/** How a request's key becomes a stored command id and a fingerprint (decision 0010). */
const ALICE: Actor = { userId: 'u-alice', orgId: 'e-1', role: 'producer', regionCode: '469027' };
const BOB: Actor = { ...ALICE, userId: 'u-bob' };
const KEY = fingerprintKey('installation-secret');

describe('client command ids', () => {
  it('are scoped to caller and command type, and never contain the raw key', () => {
    const id = clientCommandId(ALICE, 'ShipCommand', 'demo-0060');
    expect(id).toMatch(/^client:[0-9a-f]{64}$/);
    expect(clientCommandId(ALICE, 'ShipCommand', 'demo-0060')).toBe(id);
    expect(clientCommandId(BOB, 'ShipCommand', 'demo-0060')).not.toBe(id);
    expect(clientCommandId(ALICE, 'CreateLotCommand', 'demo-0060')).not.toBe(id);
    expect(id).not.toContain('demo-0060');
  });

  it('cannot be made equal to a system id, whatever the key', () => {
    for (const key of ['raise-H123', 'system:raise-H123', 'bootstrap-admin'])
      expect(clientCommandId(ALICE, 'ShipCommand', key)).not.toBe(systemCommandId('raise-H123'));
    expect(systemCommandId('raise-H123')).toBe('system:raise-H123');
  });

  it('do not run together caller and key (a separator inside a value shifts nothing)', () => {
    expect(clientCommandId({ ...ALICE, userId: 'a|b' }, 'T', 'c')).not.toBe(clientCommandId({ ...ALICE, userId: 'a' }, 'T', 'b|c'));
  });
});

describe('request fingerprints', () => {
  it('differ with the input and the type, and ignore key order and absent (undefined) fields', () => {
    const base = requestFingerprint(KEY, 'ShipCommand', { a: 1, b: { c: [1, 2] } });
    expect(requestFingerprint(KEY, 'ShipCommand', { b: { c: [1, 2] }, a: 1, d: undefined })).toBe(base);
    expect(requestFingerprint(KEY, 'ShipCommand', { a: 2, b: { c: [1, 2] } })).not.toBe(base);
    expect(requestFingerprint(KEY, 'ConfirmTransferCommand', { a: 1, b: { c: [1, 2] } })).not.toBe(base);
  });

  it('are keyed by the installation secret: the same body under another secret gives another fingerprint', () => {
    const body = { password: 'Secret-Pass-2026' };
    expect(requestFingerprint(fingerprintKey('other'), 'CreateAccountCommand', body)).not.toBe(requestFingerprint(KEY, 'CreateAccountCommand', body));
  });
});

describe('scoping a command', () => {
  const meta: CommandMeta = { commandId: 'fresh-uuid', clientKey: { key: 'ship-key-001', field: 'Idempotency-Key' }, actor: ALICE };
  const input = { fromTraceCode: 'T1', quantity: { amount: 1, unit: 'kg' as const }, to: { kind: 'registered' as const, eid: 'E1' } };

  it('turns the client key into the stored id and fingerprint, dropping the raw key', () => {
    const scoped = scopeCommand(new ShipCommand(input, meta), KEY);
    expect(scoped).toBeInstanceOf(ShipCommand);
    expect(scoped.input).toBe(input);
    expect(scoped.meta.commandId).toBe(clientCommandId(ALICE, 'ShipCommand', 'ship-key-001'));
    expect(scoped.meta.request).toEqual({ fingerprint: requestFingerprint(KEY, 'ShipCommand', input), keyField: 'Idempotency-Key' });
    expect(scoped.meta.clientKey).toBeUndefined();
    expect(commandTypeOf(scoped)).toBe('ShipCommand');
  });

  it('leaves a command without a client key as it is (fresh or system id)', () => {
    const plain = new ShipCommand(input, { commandId: 'system:x', actor: ALICE });
    expect(scopeCommand(plain, KEY)).toBe(plain);
    expect(scopeMeta(plain.meta, 'ShipCommand', input, KEY)).toBe(plain.meta);
  });
});
