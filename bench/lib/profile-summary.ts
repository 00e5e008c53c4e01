/**
 * `node -r ./bench/support/swc-register.js bench/lib/profile-summary.ts <file.cpuprofile> [--top 25] [--events N]`
 *
 * Top self-time functions of a V8 CPU profile (`node --cpu-prof`), as a Markdown table: share of the
 * samples, milliseconds and — with `--events` — microseconds per event. Used for the before/after evidence
 * of decision 0020; any profile of the server or a benchmark works.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function main(): void {
  const argv = process.argv.slice(2);
  const file = argv[0];
  if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [--top N] [--events N]');
  const opt = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? Number(argv[i + 1]) : undefined;
  };
  const top = opt('top') ?? 25;
  const events = opt('events');
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    const where = frame.url ? `${path.basename(frame.url)}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    total += us;
  }
  const rows = [...byFunction.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  const out: string[] = [];
  out.push(`profile: ${path.basename(file)}, ${(total / 1000).toFixed(0)} ms sampled${events ? `, ${events} events` : ''}`);
  out.push('');
  out.push(`| self % | self ms |${events ? ' µs/event |' : ''} function |`);
  out.push(`|---|---|${events ? '---|' : ''}---|`);
  for (const [name, us] of rows) {
    const perEvent = events ? ` ${(us / events).toFixed(2)} |` : '';
    out.push(`| ${((100 * us) / total).toFixed(1)} | ${(us / 1000).toFixed(0)} |${perEvent} \`${name.replace(/\|/g, '\\|')}\` |`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main();
