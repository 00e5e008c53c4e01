/**
 * Whole-ledger verification from an export file, as `npm run verify-export` does it, phase by phase (decision 0018
 * §Sixth pass): reading the file, JSON.parse, verifyExport — CPU of this process, so a fresh process per file
 * (no other export's heap in the way; the in-process figures of bench/verifiable-history.ts leave the parse out).
 *
 *   node -r ./bench/support/swc-register.js bench/verifiable-history.ts --events 100000 --dump-export /tmp/v1.json
 *   node -r ./bench/support/swc-register.js bench/verify-export-file.ts /tmp/v1.json --as-v2 /tmp/v2.json   # writes it, times nothing
 *   node -r ./bench/support/swc-register.js bench/verify-export-file.ts /tmp/v1.json
 *   node -r ./bench/support/swc-register.js bench/verify-export-file.ts /tmp/v2.json
 *
 * `--as-v2 FILE` writes the same export (without the seed) in format 2 to FILE and exits: time it in a process of its own.
 */
import * as fs from 'node:fs';
import { verifyExport } from '../application/audit/export-verifier';
import { toExportV2 } from '../application/audit/export-v2';

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const file = process.argv[2]!;
const asV2 = process.argv.indexOf('--as-v2');
if (asV2 > 0) {
  const { commitmentSeed: _seed, ...exp } = JSON.parse(fs.readFileSync(file, 'utf8'));
  fs.writeFileSync(process.argv[asV2 + 1]!, JSON.stringify(toExportV2(exp)));
  process.exit(0);
}
const c0 = cpu();
const text = fs.readFileSync(file, 'utf8');
const c1 = cpu();
const exp = JSON.parse(text);
const c2 = cpu();
const verdict = verifyExport(exp);
const c3 = cpu();
if (!verdict.ok) throw new Error(`${file} does not verify: ${JSON.stringify(verdict.firstBad)}`);
const n = exp.events.length as number;
process.stdout.write(
  `${exp.format}${exp.commitmentSeed ? ' (with the seed)' : ''}: ${n} events; CPU read ${(c1 - c0).toFixed(0)} ms, JSON.parse ${(c2 - c1).toFixed(0)} ms, verifyExport ${(c3 - c2).toFixed(0)} ms; ` +
    `${Math.round((n / (c3 - c0)) * 1000).toLocaleString('en-US')} events per CPU-second from the file, ${Math.round((n / (c3 - c2)) * 1000).toLocaleString('en-US')} verifying alone\n`,
);
