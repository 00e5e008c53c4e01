import 'reflect-metadata';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { backupsToDelete } from '../../application/backup/retention';
import { Ledger } from '../../application/ledger/ledger';
import { DATA_FILES, listBackups } from '../backup/backup-files';
import { deleteBackup, takeBackup, type BackupKind } from '../backup/sqlite-backup';
import { loadConfig } from '../config/config';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import { ed25519Signer } from '../system/ed25519-signer';
import { loadOrCreateSecrets } from '../system/secrets';
import { systemClock, systemIds } from '../system/system-clock';

/**
 * `npm run backup -- <dir> [--full|--incremental] [--keep N]`: an online backup of the embedded stack in
 * DATA_DIR, safe while the server runs (it only reads the live files, and appends one sealing checkpoint).
 * The first backup in <dir> is full; later ones are increments of the events since, unless --full.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const root = args.find((a) => !a.startsWith('--'));
  if (!root) {
    process.stderr.write('usage: backup <dir> [--full|--incremental] [--keep N]\n');
    process.exit(2);
  }
  const config = loadConfig();
  if (config.EVENT_STORE !== 'sqlite') throw new Error('npm run backup copies the embedded ledger; for KurrentDB see docs/operations.md');
  const eventsFile = path.join(config.dataDir, DATA_FILES.events);
  if (!fs.existsSync(eventsFile)) throw new Error(`no ledger at ${eventsFile} (is DATA_DIR right?)`);
  const kind: BackupKind = args.includes('--full') ? 'full' : args.includes('--incremental') ? 'incremental' : 'auto';
  const keepArg = args.indexOf('--keep');
  const keep = keepArg >= 0 ? Number(args[keepArg + 1]) : config.BACKUP_KEEP_FULL;

  const store = new SqliteEventStore(eventsFile);
  try {
    const secrets = loadOrCreateSecrets(config.dataDir, { traceCodeSecret: config.TRACE_CODE_SECRET });
    const ledger = new Ledger(store, systemClock, systemIds);
    const outcome = await takeBackup(path.resolve(root), kind, { dataDir: config.dataDir, ledger, signer: ed25519Signer(secrets.signingKeyPem), now: () => systemClock.now() });
    const m = outcome.manifest;
    if (!outcome.written) process.stdout.write(`nothing appended since backup ${m.id} (position ${m.toPosition}): no increment written\n`);
    else {
      const bytes = Object.values(m.files).reduce((n, f) => n + f.bytes, 0);
      process.stdout.write(
        `${m.kind} backup ${m.id}: events ${m.fromPosition + 1}–${m.toPosition} (${m.eventCount}), ` +
          `checkpoint ${m.lastCheckpoint?.sequence ?? 'none'}, ${(bytes / 2 ** 20).toFixed(1)} MiB in ${(outcome.ms / 1000).toFixed(2)} s → ${outcome.dir}\n`,
      );
    }
    for (const old of backupsToDelete(listBackups(path.resolve(root)), keep)) {
      deleteBackup(old);
      process.stdout.write(`retention (keep ${keep} full): deleted ${old.manifest.id}\n`);
    }
  } finally {
    await store.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
