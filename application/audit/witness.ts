import { createPublicKey } from 'node:crypto';
import type { LedgerSigner } from '../ports/signer';
import { verifyConsistencyPath } from './rfc9162';
import { bodyOf, treeHeadMessage, verifyTreeHeadSignature, type SignedTreeHead } from './tree-head';

/**
 * The witness side of tree-head cosigning (decision 0018, issue 18 §3): another installation that follows a
 * log and cosigns its tree heads only when each one extends the last head it cosigned. It trusts nothing the
 * log says about consistency — not the route's `consistent` flag, not its `firstRoot` — only its own
 * remembered root, the log's pinned key and an RFC 9162 proof it checks itself. A rewritten history then
 * cannot get its cosignature, whatever the log serves.
 */

/** What a witness needs from the log it follows (the three audit routes). */
export interface WitnessedLog {
  /** GET /api/v1/audit/tree-heads */
  treeHeads(): Promise<{ publicKeyPem: string; treeHeads: SignedTreeHead[] }>;
  /** GET /api/v1/audit/consistency?from=&to= — only `path` is used. */
  consistency(from: number, to: number): Promise<{ path: string[] }>;
  /** POST /api/v1/audit/tree-heads/{size}/cosign */
  cosign(treeSize: number, body: { publicKeyPem: string; signature: string }): Promise<void>;
}

/** The last tree head the witness cosigned: all it must remember (persisted by its caller). */
export interface WitnessState {
  treeSize: number;
  rootHash: string;
  timestamp: string;
}

export type WitnessRefusal = {
  code: 'wrong-key' | 'bad-tree-head-signature' | 'rollback' | 'fork' | 'inconsistent';
  treeSize: number;
  detail: string;
};

export interface WitnessRound {
  cosigned: SignedTreeHead[];
  refused: WitnessRefusal | null;
  /** The state after the round: the last head cosigned (unchanged when nothing was). */
  state: WitnessState | null;
}

/**
 * One round: every tree head newer than `state`, oldest first, is checked against the previous one and
 * cosigned; the round stops at the first refusal (which the witness should raise as an alarm, not retry).
 * `logPublicKeyPem` is the key the witness was configured with, never the one the log announces.
 */
export async function witnessRound(log: WitnessedLog, logPublicKeyPem: string, signer: LedgerSigner, state: WitnessState | null): Promise<WitnessRound> {
  const cosigned: SignedTreeHead[] = [];
  let last = state;
  const stop = (refused: WitnessRefusal): WitnessRound => ({ cosigned, refused, state: last });
  const { publicKeyPem, treeHeads } = await log.treeHeads();
  if (!sameKey(publicKeyPem, logPublicKeyPem)) return stop({ code: 'wrong-key', treeSize: 0, detail: 'the log announces another signing key than the one this witness follows' });
  const newest = treeHeads.reduce((n, h) => Math.max(n, h.treeSize), 0);
  // A log whose newest head is older than the last one cosigned has been rolled back (or replaced).
  if (last && newest < last.treeSize) return stop({ code: 'rollback', treeSize: newest, detail: `the newest tree head has ${newest} leaves; this witness already cosigned ${last.treeSize}` });
  for (const head of [...treeHeads].sort((a, b) => a.treeSize - b.treeSize)) {
    if (last && head.treeSize < last.treeSize) continue;
    if (!verifyTreeHeadSignature(bodyOf(head), head.signature, logPublicKeyPem))
      return stop({ code: 'bad-tree-head-signature', treeSize: head.treeSize, detail: `tree head ${head.treeSize} is not signed by the log's key` });
    if (last && head.treeSize === last.treeSize) {
      if (head.rootHash !== last.rootHash) return stop({ code: 'fork', treeSize: head.treeSize, detail: `tree head ${head.treeSize} has another root than the one this witness cosigned` });
      continue;
    }
    if (last) {
      const { path } = await log.consistency(last.treeSize, head.treeSize);
      const ok = verifyConsistencyPath(last.treeSize, head.treeSize, Buffer.from(last.rootHash, 'hex'), Buffer.from(head.rootHash, 'hex'), path.map((p) => Buffer.from(p, 'hex')));
      if (!ok) return stop({ code: 'inconsistent', treeSize: head.treeSize, detail: `tree head ${head.treeSize} does not extend tree head ${last.treeSize} cosigned at ${last.timestamp} (history rewritten)` });
    }
    await log.cosign(head.treeSize, { publicKeyPem: signer.publicKeyPem, signature: signer.sign(treeHeadMessage(bodyOf(head))) });
    cosigned.push(head);
    last = { treeSize: head.treeSize, rootHash: head.rootHash, timestamp: head.timestamp };
  }
  return { cosigned, refused: null, state: last };
}

function sameKey(a: string, b: string): boolean {
  try {
    const der = (pem: string) => createPublicKey(pem).export({ type: 'spki', format: 'der' });
    return der(a).equals(der(b));
  } catch {
    return false;
  }
}
