import Database from 'better-sqlite3';
import { execSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  ramGiB: number;
  node: string;
  sqlite: string;
  kernel: string;
  commit: string;
  dirty: boolean;
  date: string;
}

export function machineInfo(): MachineInfo {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  const cores = (cpuinfo.match(/^processor\s*:/gm) ?? []).length || os.cpus().length;
  const git = (cmd: string) => {
    try {
      return execSync(cmd, { cwd: __dirname, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    } catch {
      return '';
    }
  };
  let sqlite = 'unknown';
  try {
    const db = new Database(':memory:');
    sqlite = (db.prepare('select sqlite_version() v').get() as { v: string }).v;
    db.close();
  } catch {
    // reported as unknown
  }
  return {
    cpuModel: model,
    cores,
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    sqlite,
    kernel: `${os.type()} ${os.release()}`,
    commit: git('git rev-parse --short HEAD') || 'unknown',
    dirty: git('git status --porcelain -- ../application ../infrastructure ../projections ../domain ../bench') !== '',
    date: new Date().toISOString(),
  };
}

/** What else the machine is doing: load average and the busiest other processes (jest runs, servers). */
export function machineLoad(): { loadavg: string; busy: string[] } {
  const loadavg = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  let busy: string[] = [];
  try {
    busy = execSync('ps -eo pcpu,rss,args --sort=-pcpu', { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .split('\n')
      .slice(1)
      .map((l) => l.trim())
      .filter((l) => l && !l.includes('ps -eo') && parseFloat(l) >= 5)
      .slice(0, 5)
      .map((l) => {
        const [cpu, rss, ...args] = l.split(/\s+/);
        return `${cpu}% cpu, ${Math.round(Number(rss) / 1024)} MB: ${args.join(' ').slice(0, 90)}`;
      });
  } catch {
    // no ps: load average only
  }
  return { loadavg, busy };
}

/** Peak resident set size (VmHWM) and current RSS of a process, in MB, from /proc. */
export function memoryOf(pid: number): { peakMb: number; rssMb: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
    return { peakMb: Math.round(kb('VmHWM') / 1024), rssMb: Math.round(kb('VmRSS') / 1024) };
  } catch {
    return null;
  }
}
