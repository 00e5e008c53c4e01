import type { OffLedgerReceiver } from '../lots/types';

export type RegisteredReceiver = { kind: 'registered'; entityId: string; eid: string; name: string };
export type UnregisteredReceiver = { kind: 'unregistered' } & OffLedgerReceiver;
export type TransferReceiver = RegisteredReceiver | UnregisteredReceiver;

export function transferStreamId(transferId: string): string {
  return `transfer-${transferId}`;
}
