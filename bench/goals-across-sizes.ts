/**
 * `node -r ./bench/support/swc-register.js bench/goals-across-sizes.ts S.json M.json L.json`
 *
 * Prints issue 17's table of goals across sizes (bench/lib/goals-across-sizes.ts) from the JSON of `npm run bench`
 * runs (bench/results/), smallest first: each goal's figure, its ratio to the goal and whether it is met, and how
 * far M and L are from S for ingest and lookup. For bench/RESULTS.md.
 */
import * as fs from 'node:fs';
import { goalsTable } from './lib/goals-across-sizes';
import type { RunReport } from './lib/report';

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: bench/goals-across-sizes.ts <run.json>… (smallest size first)\n');
  process.exit(2);
}
const runs = files.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as RunReport);
process.stdout.write(`${goalsTable(runs)}\n`);
