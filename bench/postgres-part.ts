/**
 * `node --max-old-space-size=6144 -r ./bench/support/swc-register.js bench/postgres-part.ts --against bench/results/<run>.json`
 *
 * The plain-PostgreSQL peer of an earlier `npm run bench -- --no-postgres` run, taken apart from it: the same
 * plan (size and seed from that run's JSON), the same measurements as in bench/run.ts, compared with that run's
 * own figures. At L the peer alone ingests 10M events at about 2,000 events/s (80+ minutes), which with the rest
 * of the run does not fit one working session on this machine. Machine load before and after is recorded for
 * this part, and a different commit or machine than the run's is printed in the section's first lines, so that a
 * reader sees when the two parts are not like for like.
 *
 * Writes the run's JSON again with `postgres` and `postgresPart` filled in (suffix `-postgres`), so that
 * bench/goals-across-sizes.ts can take it in place of the first one, and a section in bench/RESULTS.md.
 */
import * as fs from 'node:fs';
import { DatasetPlan, SIZES } from './generator/plan';
import { cliArgs } from './lib/cli-args';
import { machineInfo, machineLoad } from './lib/machine';
import { appendRun, chainTable, renderPeers, type RunReport } from './lib/report';
import { runPostgresPeer, stopPostgres } from './peers/postgres/pg-peer';

const log = (msg: string) => process.stderr.write(`[postgres-part ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

async function main(): Promise<void> {
  const args = cliArgs();
  const against = args.value('against');
  if (!against) throw new Error('--against <the run JSON of bench/results/> is required');
  const run = JSON.parse(fs.readFileSync(against, 'utf8')) as RunReport;
  if (!SIZES[run.size as keyof typeof SIZES]) throw new Error(`${against}: size ${run.size} is not one of ${Object.keys(SIZES).join(', ')}`);
  if (run.postgres) throw new Error(`${against} already holds a PostgreSQL peer (${run.postgres.version})`);
  const spec = SIZES[run.size as keyof typeof SIZES];
  if (spec.events !== run.spec.events || spec.entities !== run.spec.entities) throw new Error(`${against}: its size ${run.size} was ${JSON.stringify(run.spec)}, the plan's is now ${JSON.stringify(spec)}`);

  const machine = machineInfo();
  const loadBefore = machineLoad();
  const started = new Date().toISOString();
  log(`PostgreSQL peer for the ${run.size} run of ${run.started} (commit ${run.machine.commit}), seed ${run.seed} …`);
  try {
    run.postgres = await runPostgresPeer(new DatasetPlan(spec, run.seed), { batchSize: 1000, chainSamples: 100, consumerSeconds: 10 });
  } finally {
    stopPostgres();
  }
  run.postgresPart = { started, finished: new Date().toISOString(), commit: machine.commit, loadBefore, loadAfter: machineLoad() };
  delete run.postgresError;
  const file = appendRun(run, { section: renderPart(run, machine), suffix: 'postgres' });
  log(`done: ${file}`);
}

function renderPart(r: RunReport, machine: ReturnType<typeof machineInfo>): string {
  const p = r.postgresPart!;
  const sameCommit = machine.commit === r.machine.commit;
  const sameMachine = machine.cpuModel === r.machine.cpuModel && machine.cores === r.machine.cores;
  return [
    `### PostgreSQL peer for the run of ${r.started.slice(0, 16).replace('T', ' ')} UTC · size ${r.size} · taken apart ${p.started.slice(0, 16).replace('T', ' ')}–${p.finished.slice(11, 16)} UTC`,
    '',
    `Commit ${p.commit}${sameCommit ? ' (the run’s)' : ` — **not the run’s (${r.machine.commit})**`}; machine ${machine.cpuModel}, ${machine.cores} cores${sameMachine ? ' (the run’s)' : ' — **not the run’s**'}. Load average before ${p.loadBefore.loadavg}, after ${p.loadAfter.loadavg}.${p.loadBefore.busy.length ? ` Busy at start: ${p.loadBefore.busy.join('; ')}.` : ''}  `,
    `Duration ${Math.round((Date.parse(p.finished) - Date.parse(p.started)) / 1000)} s. Suyuan's figures below are the run's.`,
    '',
    renderPeers(r, '**Plain PostgreSQL against the run** (the event-store peers are in the run’s own section)', false),
    '**Trace chains**, the run’s against the PostgreSQL recursive CTE',
    '',
    ...chainTable(r),
    '',
  ].join('\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
