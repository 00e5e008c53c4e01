import { restoreChain, type StoredBackup } from './backup-manifest';

/**
 * Which backups to delete so that the newest `keepFull` full backups stay restorable: a full backup is kept
 * with every increment that continues it; older chains (and increments left without their full backup) go.
 */
export function backupsToDelete(backups: readonly StoredBackup[], keepFull: number): StoredBackup[] {
  const sorted = [...backups].sort((a, b) => a.manifest.id.localeCompare(b.manifest.id));
  const fulls = sorted.filter((b) => b.manifest.kind === 'full');
  const keptFulls = fulls.slice(Math.max(0, fulls.length - Math.max(1, keepFull)));
  const kept = new Set<string>();
  for (const full of keptFulls) {
    // The chain that starts at this full backup (restoreChain picks the newest full among those it is given).
    const fromHere = sorted.filter((b) => b.manifest.id >= full.manifest.id);
    const until = fulls.find((f) => f.manifest.id > full.manifest.id);
    const span = until ? fromHere.filter((b) => b.manifest.id < until.manifest.id) : fromHere;
    for (const b of restoreChain(span)) kept.add(b.manifest.id);
  }
  // An increment being written after the newest chain's end is kept too: never delete what is newer than the newest full.
  const newestFull = keptFulls[keptFulls.length - 1]?.manifest.id ?? '';
  return sorted.filter((b) => !kept.has(b.manifest.id) && b.manifest.id < newestFull);
}
