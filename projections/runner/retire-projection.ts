import type { ReadStore } from '../../application/ports/read-store';
import { META, ProjectionRunner } from './projection-runner';

/**
 * Removes what a projection that is no longer run left in the read store: every generation of its
 * collections, their checkpoints and its meta document, so that its disk is given back (decision 0027: the
 * embedded stack's `audit_log`). Idempotent; answers whether there was anything to remove.
 */
export async function retireProjection(reads: ReadStore, retired: { name: string; collections: readonly string[] }): Promise<boolean> {
  const meta = await reads.get(META, retired.name);
  const physical = (await reads.listCollections()).filter((name) => retired.collections.some((c) => name.startsWith(`${c}__g`) && /^\d+$/.test(name.slice(c.length + 3))));
  if (!meta && physical.length === 0) return false;
  for (const name of physical) {
    await reads.dropCollection(name);
    await reads.deleteCheckpoint(ProjectionRunner.checkpointOf(retired.name, ProjectionRunner.generationOf(name)));
  }
  if (meta) {
    await reads.applyChanges(`${META}:${retired.name}`, [{ op: 'delete', collection: META, id: retired.name }], (meta._v as number) + 1);
    await reads.deleteCheckpoint(`${META}:${retired.name}`);
  }
  return true;
}
