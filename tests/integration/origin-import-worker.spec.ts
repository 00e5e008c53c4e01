import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AccessPolicy } from '../../application/access/access-policy';
import { ImportFiles, type ImportStatus, type RowResult } from '../../application/origin/import/import-files';
import { importLedger, runOriginImport } from '../../application/origin/import/import-job';
import type { RowCells } from '../../application/origin/import/row-input';
import { csvHeader, csvLine, EXAMPLE_ROW } from '../../application/origin/import/workbooks';
import { defaultOriginSettings } from '../../application/origin/settings';
import type { RecordedEvent } from '../../application/ports/event-store';
import type { Actor } from '../../domain/shared/actor';
import { chinaDivisionPlaces } from '../../infrastructure/http/origin/china-division-places';
import { SqliteEventStore } from '../../infrastructure/sqlite/sqlite-event-store';
import { systemIds } from '../../infrastructure/system/system-clock';

/**
 * The import's row worker (decision 0016): a file read and prepared on a worker thread gives exactly what the
 * single-threaded job gives — the same per-row results (every kind of refusal, addresses by code and by names,
 * duplicates across chunks, the policy's refusals), the same events, the same status; a re-import through the
 * worker appends nothing, a changed row appends one 信息变更; a file refused as a whole fails the same way.
 */
const COLLECTOR: Actor = { userId: 'u-dhm', orgId: 'org-u-dhm', role: 'township-admin', regionCode: '110101001' };
const VILLAGES = ['110101001001', '110101001002', '110101001005', '110101001006', '110101001007'];
const settings = defaultOriginSettings(chinaDivisionPlaces());
const clock = { now: () => new Date('2026-03-01T02:00:00.000Z') };

const row = (over: Partial<RowCells>): RowCells => ({ ...EXAMPLE_ROW, province: '', city: '', county: '', township: '', village: '', villageCode: VILLAGES[0]!, lat: '39.9163447', lon: '116.3971546', ...over });

/**
 * 2,600 rows over three chunks, 200 of each kind (i mod 13): accepted by code (0, 11, 12), by names (1), below the
 * threshold (10); refused for an unknown village name (2), no village name (3), five decimals (4), the mobile (5), the
 * neighbour township (6: the policy), an unknown village code (7), 大棚 (9); a base of an earlier row again (8: from
 * row 996 on; the 76 before are new bases).
 */
function rows(): RowCells[] {
  const out: RowCells[] = [];
  for (let i = 0; i < 2600; i++) {
    const name = `东华门合作社${String(i).padStart(5, '0')}`;
    const base = { producerName: name, villageCode: VILLAGES[i % VILLAGES.length]!, lat: `39.91${String(i).padStart(5, '0')}` };
    switch (i % 13) {
      case 1: out.push(row({ ...base, villageCode: '', province: '北京市', city: '市辖区', county: '东城区', township: '东华门街道', village: '银闸社区居委会' })); break; // by names
      case 2: out.push(row({ ...base, villageCode: '', province: '北京市', city: '市辖区', county: '东城区', township: '东华门街道', village: '没有这个村' })); break; // unknown village name
      case 3: out.push(row({ ...base, villageCode: '', province: '北京市', county: '东城区', township: '东华门街道', village: '' })); break; // names without the village
      case 4: out.push(row({ ...base, lat: '39.91634' })); break; // five decimals
      case 5: out.push(row({ ...base, contactMobile: '1380013800' })); break;
      case 6: out.push(row({ ...base, villageCode: '110101002001' })); break; // the neighbour township: outside the collector's region
      case 7: out.push(row({ ...base, villageCode: '110101001999' })); break; // no such village
      case 8: {
        // From row 996 on, the base of row i − 996 (a plain accepted row, i − 996 ≡ 0 mod 13) again, mostly in a later chunk.
        const j = i >= 996 ? i - 996 : i;
        out.push(row({ ...base, producerName: `东华门合作社${String(j).padStart(5, '0')}`, villageCode: VILLAGES[j % VILLAGES.length]!, lat: `39.91${String(j).padStart(5, '0')}` }));
        break;
      }
      case 9: out.push(row({ ...base, productionMethods: '大棚' })); break;
      case 10: out.push(row({ ...base, industry: '畜牧业', product: '生猪', scaleAmount: '20', scaleUnit: '头', marketingFrom: '', marketingTo: '', productionMethods: '', traceMethods: '耳标' })); break; // 规模以下
      default: out.push(row(base));
    }
  }
  return out;
}

const csv = (cells: RowCells[]) => `\uFEFF${csvHeader()}\r\n${cells.map((c) => `${csvLine(c)}\r\n`).join('')}`;

interface Run {
  status: ImportStatus;
  results: RowResult[];
  events: RecordedEvent[];
  appended: number;
}

describe('origin import on the row worker', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'origin-import-worker-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** One import of `content` into the event store file `ledger`, rows prepared as `rowWorker` says. */
  async function importOnce(ledger: string, importId: string, content: string, rowWorker: 'always' | 'never', actor: Actor = COLLECTOR): Promise<Run> {
    const store = new SqliteEventStore(path.join(dir, ledger));
    try {
      const files = new ImportFiles(path.join(dir, `${ledger}-files`));
      await files.create({ importId, state: 'queued', fileName: 'f.csv', format: 'csv', uploadedBy: actor, uploadedAt: clock.now().toISOString(), startedAt: null, finishedAt: null, rowsRead: 0, accepted: 0, refused: 0, created: 0, updated: 0, unchanged: 0, bytesRead: 0, bytesTotal: Buffer.byteLength(content), error: null });
      fs.writeFileSync(files.uploadPath(importId, 'csv'), content);
      const head = await store.headPosition();
      const status = (await runOriginImport({ ledger: importLedger(store, clock, systemIds), clock, files, settings, policy: new AccessPolicy({ activeGrantsFor: async () => [] }, clock), rowWorker }, importId))!;
      const results: RowResult[] = [];
      for await (const r of files.results(importId)) results.push(r);
      const events = await store.readAll({ afterPosition: head, maxCount: 100_000 });
      return { status, results, events, appended: (await store.headPosition()) - head };
    } finally {
      await store.close();
    }
  }

  /** What an event says, without what differs between any two runs (ids, the chunk's command id). */
  const content = (events: RecordedEvent[]) => events.map((e) => ({ type: e.type, streamId: e.streamId, revision: e.revision, data: e.data }));
  const counts = (s: ImportStatus) => ({ state: s.state, rowsRead: s.rowsRead, accepted: s.accepted, refused: s.refused, created: s.created, updated: s.updated, unchanged: s.unchanged, error: s.error, bytesRead: s.bytesRead });

  it('gives the same rows, refusals, events and status as the single-threaded job; a re-import appends nothing, a change one event', async () => {
    const file = csv(rows());
    const single = await importOnce('single.sqlite', 'import-1', file, 'never');
    const worker = await importOnce('worker.sqlite', 'import-1', file, 'always');

    expect(worker.results).toEqual(single.results);
    expect(content(worker.events)).toEqual(content(single.events));
    expect(counts(worker.status)).toEqual(counts(single.status));
    // Each kind of row above did what it should (the comparison means something only if both did the work).
    const byCode = new Map<string, number>();
    for (const r of single.results) byCode.set(r.code ?? r.outcome!, (byCode.get(r.code ?? r.outcome!) ?? 0) + 1);
    expect(Object.fromEntries(byCode)).toEqual({ created: 1076, VALIDATION_FAILED: 1200, OUT_OF_SCOPE: 200, DUPLICATE_ROW: 124 });
    expect(single.results.filter((r) => r.code === 'DUPLICATE_ROW').every((r) => /as row \d+/.test(r.rule!))).toBe(true);
    expect(single.status).toMatchObject({ state: 'done', rowsRead: 2600, created: 1076 });
    expect(single.appended).toBe(1076);

    const again = await importOnce('worker.sqlite', 'import-2', file, 'always');
    expect(again.appended).toBe(0);
    expect(again.status).toMatchObject({ state: 'done', accepted: 1076, created: 0, updated: 0, unchanged: 1076 });

    const changed = rows();
    changed[0] = { ...changed[0]!, scaleAmount: '7' };
    const update = await importOnce('worker.sqlite', 'import-3', csv(changed), 'always');
    expect(update.appended).toBe(1);
    expect(update.events[0]).toMatchObject({ type: 'OriginRecordChanged', data: { changed: [{ field: 'scale.amount', before: '2.5', after: '7' }] } });
    expect(update.status).toMatchObject({ updated: 1, unchanged: 1075 });
  });

  it('fails a file without the template header as the single-threaded job does', async () => {
    const bad = '名称,类型\r\n甲,乙\r\n';
    const single = await importOnce('single.sqlite', 'import-bad', bad, 'never');
    const worker = await importOnce('worker.sqlite', 'import-bad', bad, 'always');
    expect(worker.status.state).toBe('failed');
    expect(worker.status.error).toEqual(single.status.error);
    expect(worker.status.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'file' } });
  });
});
