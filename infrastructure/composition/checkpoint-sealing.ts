import { sealCheckpoints } from '../../application/audit/checkpoints';
import type { Ledger } from '../../application/ledger/ledger';
import type { Clock } from '../../application/ports/clock';
import type { JobQueue } from '../../application/ports/job-queue';
import type { LedgerSigner } from '../../application/ports/signer';
import type { Logger } from '../logging/logger';

export const SEAL_JOB = 'seal-checkpoints';

/** The sealing job (DESIGN.md "Verifiable history"): periodically signs a tree head over the whole log (decision 0018). */
export function registerCheckpointSealing(queue: JobQueue, ledger: Ledger, signer: LedgerSigner, clock: Clock, logger: Logger): void {
  queue.register(SEAL_JOB, async () => {
    const sealed = await sealCheckpoints(ledger, signer, () => clock.now());
    for (const cp of sealed)
      logger.info('treeSize' in cp ? { treeSize: cp.treeSize, lastPosition: cp.lastPosition } : { sequence: cp.sequence, toPosition: cp.toPosition, events: cp.eventCount }, 'checkpoint sealed');
  });
}
