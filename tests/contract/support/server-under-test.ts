import { spawnSync } from 'node:child_process';

/**
 * Decides, when a contract spec file is loaded, whether the real server of an adapter can be tested.
 *
 * Jest collects `describe` blocks synchronously, so reachability is probed synchronously too: a child
 * Node process tries a TCP connection to the URL's host and port (1.5 s timeout). When the variable is
 * unset or the server does not answer, a loud line goes to the console and the spec registers a
 * `SKIPPED: …` describe holding a todo, so the skip shows in the test report as well — never a silent pass.
 */
export interface ServerUnderTest {
  /** The URL from the environment when the server answered, else null. */
  url: string | null;
  /** Registers `body` when the server is available, else the loud SKIPPED describe. */
  describeWithServer(body: (url: string) => void): void;
}

export function serverUnderTest(
  label: string,
  envVar: string,
  howToRun = 'scripts/services/start.sh && source .ci/services.env',
): ServerUnderTest {
  const url = process.env[envVar]?.trim() || '';
  const reason = !url ? `${envVar} not set` : probe(url);
  if (reason === null) {
    return { url, describeWithServer: (body) => body(url) };
  }
  const line = `SKIPPED: ${label} contract suite — ${reason}`;
  console.warn(`\n${'!'.repeat(line.length)}\n${line}\n${'!'.repeat(line.length)}\n`);
  return {
    url: null,
    describeWithServer: () => {
      describe(line, () => {
        it.todo(`set ${envVar} to a reachable server to run the ${label} suites (${howToRun})`);
      });
    },
  };
}

/** null when host:port of the URL accepts a TCP connection, else why not. */
function probe(url: string): string | null {
  const target = hostAndPort(url);
  if (!target) return `cannot read host/port from ${redact(url)}`;
  const script = `
    const socket = require('node:net').connect({ host: ${JSON.stringify(target.host)}, port: ${target.port} });
    socket.setTimeout(1500, () => { socket.destroy(); process.exit(2); });
    socket.on('connect', () => { socket.end(); process.exit(0); });
    socket.on('error', () => process.exit(1));`;
  const result = spawnSync(process.execPath, ['-e', script], { timeout: 5000 });
  return result.status === 0 ? null : `${redact(url)} not reachable (${target.host}:${target.port})`;
}

const DEFAULT_PORTS: Record<string, number> = {
  'mongodb:': 27017,
  'redis:': 6379,
  'rediss:': 6380,
  'http:': 80,
  'https:': 443,
  'kurrentdb:': 2113,
  'esdb:': 2113,
};

export function hostAndPort(url: string): { host: string; port: number } | null {
  // Multi-host connection strings (mongodb://a:1,b:2/db, kurrentdb://a:1,b:2): the first host is probed.
  const match = /^([a-z0-9+.-]+:)\/\/(?:[^@/]*@)?([^,/?]+)/i.exec(url);
  if (!match) return null;
  const scheme = match[1]!.toLowerCase().replace(/\+.*:$/, ':');
  const hostPort = match[2]!;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostPort);
  const [host, port] = bracketed
    ? [bracketed[1]!, bracketed[2]]
    : (hostPort.split(':') as [string, string | undefined]);
  const portNumber = port ? Number(port) : DEFAULT_PORTS[scheme];
  return host && portNumber ? { host, port: portNumber } : null;
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
