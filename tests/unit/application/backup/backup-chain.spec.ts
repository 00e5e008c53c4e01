import { restoreChain, type BackupManifest, type StoredBackup } from '../../../../application/backup/backup-manifest';
import { backupsToDelete } from '../../../../application/backup/retention';

/** Which backups a restore applies, and which retention deletes. */
const full = (id: string, to: number): StoredBackup => backup(id, 'full', null, 0, to);
const incr = (id: string, basedOn: string, from: number, to: number): StoredBackup => backup(id, 'incremental', basedOn, from, to);
function backup(id: string, kind: BackupManifest['kind'], basedOn: string | null, fromPosition: number, toPosition: number): StoredBackup {
  return { dir: `/b/${id}`, manifest: { format: 'suyuan-backup/1', id, kind, createdAt: '', basedOn, fromPosition, toPosition, eventCount: toPosition - fromPosition, lastCheckpoint: null, keyId: 'k', reactorCheckpoints: {}, files: {} } };
}
const ids = (bs: StoredBackup[]) => bs.map((b) => b.manifest.id);

describe('restoreChain', () => {
  it('is the newest full backup and the increments that continue it without a gap', () => {
    const all = [full('1-full', 10), incr('2-incr', '1-full', 10, 20), full('3-full', 25), incr('4-incr', '3-full', 25, 30), incr('5-incr', '4-incr', 30, 40)];
    expect(ids(restoreChain(all))).toEqual(['3-full', '4-incr', '5-incr']);
  });

  it('stops at an increment whose predecessor is missing or does not end where it starts', () => {
    expect(ids(restoreChain([full('1-full', 10), incr('3-incr', '2-incr', 20, 30)]))).toEqual(['1-full']);
    expect(ids(restoreChain([full('1-full', 10), incr('2-incr', '1-full', 11, 30)]))).toEqual(['1-full']);
  });

  it('is empty without a full backup', () => {
    expect(restoreChain([incr('2-incr', '1-full', 10, 20)])).toEqual([]);
  });
});

describe('backupsToDelete', () => {
  it('keeps the newest N full backups with their increments and deletes older chains', () => {
    const all = [full('1-full', 10), incr('2-incr', '1-full', 10, 20), full('3-full', 25), incr('4-incr', '3-full', 25, 30), full('5-full', 40), incr('6-incr', '5-full', 40, 45)];
    expect(ids(backupsToDelete(all, 2))).toEqual(['1-full', '2-incr']);
    expect(ids(backupsToDelete(all, 1))).toEqual(['1-full', '2-incr', '3-full', '4-incr']);
    expect(backupsToDelete(all, 3)).toEqual([]);
  });
});
