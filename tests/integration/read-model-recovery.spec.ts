import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Batcher } from '../../bench/generator/batcher';
import { DatasetPlan } from '../../bench/generator/plan';
import { HttpClient } from '../../bench/lib/http';
import { ingest } from '../../bench/scenarios/ingest';
import { getJson, startServer, SYSTEM_HEADERS, type Server } from './support/reliability-processes';

/**
 * A read-model file deleted or damaged while the server was stopped (issue 16 §3): the next start detects it,
 * sets the damaged file aside, rebuilds from the log and serves the same answers — no operator action.
 */
jest.setTimeout(240_000);

async function answers(base: string, traceCodes: string[]) {
  const facets = (await getJson(base, '/api/v1/search?size=100&facets=kind,province,product,type')).body;
  const chains = [];
  for (const code of traceCodes) {
    const chain = await getJson(base, `/api/v1/trace/${code}/chain?direction=both`);
    expect(chain.status).toBe(200);
    chains.push(chain.body);
  }
  const lots = (await getJson(base, `/api/v1/search?kind=lot&size=100`)).body;
  return { facets, chains, lots };
}

/** Overwrites the middle of a file with garbage, keeping its header (the file still opens as SQLite). */
function damageMiddle(file: string): void {
  const size = fs.statSync(file).size;
  const fd = fs.openSync(file, 'r+');
  const garbage = Buffer.alloc(Math.min(64 * 1024, Math.floor(size / 3)), 0xa5);
  fs.writeSync(fd, garbage, 0, garbage.length, Math.floor(size / 3));
  fs.closeSync(fd);
}

describe('read-model file lost or damaged while stopped', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'suyuan-rm-recovery-'));
  let server: Server | null = null;
  let expected: Awaited<ReturnType<typeof answers>>;
  let traceCodes: string[];
  const file = (name: string) => path.join(dataDir, name);

  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  beforeAll(async () => {
    server = await startServer(dataDir);
    const client = new HttpClient(server.base, SYSTEM_HEADERS);
    const plan = new DatasetPlan({ events: 1_500, entities: 24, activeTrees: 6, bigTreeEvery: 1_000_000 }, 16);
    const batcher = new Batcher(100);
    await ingest(client, plan.registrations(), { batchSize: 50, batcher });
    await ingest(client, plan.chains(1_200), { batchSize: 100, batcher, wait: true });
    traceCodes = ((await getJson(server.base, '/api/v1/search?kind=lot&size=8')).body.hits as { id: string }[]).map((h) => h.id.replace(/^lot:/, ''));
    expect(traceCodes.length).toBe(8);
    expected = await answers(server.base, traceCodes);
    expect(expected.lots.total).toBeGreaterThan(50);
    await server.stop();
    server = null;
  });

  async function restartAndCompare(): Promise<string> {
    server = await startServer(dataDir, { LOG_LEVEL: 'error' });
    expect(await answers(server.base, traceCodes)).toEqual(expected);
    await server.stop();
    const out = server.output();
    server = null;
    return out;
  }

  it('rebuilds a deleted read-model file', async () => {
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file('read-models.sqlite') + suffix, { force: true });
    await restartAndCompare();
  });

  it('sets a damaged read-model file aside and rebuilds it', async () => {
    damageMiddle(file('read-models.sqlite'));
    const out = await restartAndCompare();
    expect(out).toContain('damaged read-model file set aside');
    expect(fs.readdirSync(dataDir).some((n) => n.startsWith('read-models.sqlite.damaged-'))).toBe(true);
  });

  it('sets a search file that is no database any more aside and rebuilds it', async () => {
    fs.writeFileSync(file('search.sqlite'), Buffer.alloc(8192, 0x5a));
    for (const suffix of ['-wal', '-shm']) fs.rmSync(file('search.sqlite') + suffix, { force: true });
    const out = await restartAndCompare();
    expect(out).toContain('damaged read-model file set aside');
    expect(fs.readdirSync(dataDir).some((n) => n.startsWith('search.sqlite.damaged-'))).toBe(true);
  });
});
