import * as fs from 'node:fs';
import { verifyExport, type LedgerExport } from '../../application/audit/export-verifier';
import type { LedgerExportV2 } from '../../application/audit/export-v2';

/**
 * Offline verifier: `npm run verify-export -- suyuan-ledger.json` (or `node dist/infrastructure/cli/verify-export.js FILE`).
 * Needs no server and no database: exit 0 if the export is intact, 1 naming the first bad event otherwise.
 * Either format: `suyuan-ledger-export/1` or `/2` (each event's hashed text carried; docs/verifiable-history.md).
 */
function main(): void {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: verify-export <export.json>\n');
    process.exit(2);
  }
  const verdict = verifyExport(JSON.parse(fs.readFileSync(file, 'utf8')) as LedgerExport | LedgerExportV2);
  if (verdict.ok) {
    process.stdout.write(
      `OK: ${verdict.eventsChecked} events, ${verdict.checkpointsChecked} signed checkpoints verified` +
        (verdict.unsealedEvents ? ` (${verdict.unsealedEvents} newest events chained but not yet sealed)` : '') +
        '\n',
    );
    return;
  }
  const b = verdict.firstBad!;
  process.stdout.write(
    `TAMPERED: first bad event at index ${b.index}` +
      (b.position !== null ? `, position ${b.position}` : '') +
      (b.streamId ? `, stream ${b.streamId}` : '') +
      (b.revision !== null ? ` revision ${b.revision}` : '') +
      (b.eventId ? ` (event ${b.eventId})` : '') +
      `: ${b.reason} — ${b.detail}\n`,
  );
  process.exit(1);
}

main();
