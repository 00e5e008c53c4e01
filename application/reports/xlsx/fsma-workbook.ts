import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { cityOf, provinceOf, regionName } from '../../../domain/shared/region-codes';
import type { ChainFlow, ChainNode, ChainSynthesis } from '../chain-synthesis';
import { lotUri } from '../epcis/epcis-document';
import { FSMA_COLUMNS, type FsmaTab } from './fsma-columns';

/**
 * The chain as the FDA FSMA 204 electronic sortable spreadsheet: one tab per critical tracking event —
 * harvesting and initial packing for each origin lot, shipping for every hand-over, off-ledger sale and
 * market entry, receiving and transformation for every confirmed hand-over (the receiver's new trace code
 * is a new traceability lot code) — what a US buyer or the FDA asks for within 24 hours. Mapping:
 * docs/decisions/0014-trace-reports.md. A last tab, 追溯链条数据表, lists every node in Chinese.
 */
export interface XlsxOptions {
  publicUrl: string;
  generatedAt: string;
}

type Cell = string | number | null;

interface Place {
  name: string;
  phone: string | null;
  address: string | null;
  regionCode: string | null;
}

/** LD(x): business name, phone, street or coordinates, city, state/region (province), ZIP, country. */
const placeNames = new Map<string, [string | null, string | null, string | null]>();
/** County, city and province names of a region code (memoised: a chain repeats few regions many times). */
function namesOf(code: string): [string | null, string | null, string | null] {
  let names = placeNames.get(code);
  if (!names) placeNames.set(code, (names = [regionName(code) ?? null, cityOf(code)?.name ?? null, provinceOf(code)?.name ?? null]));
  return names;
}

function ld(p: Place | null): Cell[] {
  if (!p) return [null, null, null, null, null, null, null];
  const [county, city, province] = namesOf(p.regionCode ?? '');
  return [p.name, p.phone, p.address ?? county, city, province, null, 'China'];
}

function holderPlace(n: ChainNode): Place {
  return { name: n.holder.name, phone: n.holder.contact.phone, address: n.holder.address, regionCode: n.holder.regionCode };
}

function farmPlace(n: ChainNode): Place {
  const coords = n.base ? `${n.base.lat.toFixed(6)}, ${n.base.lon.toFixed(6)}` : null;
  return { name: n.holder.name, phone: n.holder.contact.phone, address: coords ?? n.holder.address, regionCode: n.base?.regionCode ?? n.holder.regionCode };
}

function pd(n: ChainNode): Cell[] {
  return [n.product, null, n.product, null, `${n.quantities.received} ${n.quantities.unit}`, null];
}

/** mm/dd/yyyy in China Standard Time, as the template's dates. */
export function fsmaDate(iso: string | null): string | null {
  if (!iso) return null;
  const t = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? Date.parse(`${iso}T00:00:00+08:00`) : Date.parse(iso);
  if (Number.isNaN(t)) return null;
  const d = new Date(t + 8 * 3600_000);
  return `${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}/${d.getUTCFullYear()}`;
}

const REF_KIND: Record<ChainFlow['kind'], string> = { transfer: 'Transfer record (扫码交易)', 'off-ledger': 'Off-ledger sale record', 'market-entry': 'Market entry certificate (入市追溯凭证)' };

function recipientPlace(flow: ChainFlow, byCode: Map<string, ChainNode>): Place {
  const to = flow.to ? byCode.get(flow.to) : undefined;
  if (to) return holderPlace(to);
  return { name: flow.receiver.name, phone: flow.receiver.phone, address: flow.receiver.address, regionCode: flow.toRegion };
}

export function fsmaRows(synthesis: ChainSynthesis, opts: XlsxOptions): Record<FsmaTab, Cell[][]> {
  const byCode = new Map(synthesis.nodes.map((n) => [n.traceCode, n]));
  const tlcRef = (code: string) => lotUri(opts.publicUrl, code);
  const rows: Record<FsmaTab, Cell[][]> = { Harvesting: [], 'Initial Packing': [], Shipping: [], Receiving: [], Transformation: [] };

  for (const n of synthesis.nodes.filter((x) => x.isOrigin)) {
    const firstRecipients = synthesis.edges.filter((e) => e.from === n.traceCode);
    for (const flow of firstRecipients.length > 0 ? firstRecipients : [null]) {
      rows.Harvesting.push([
        ...ld(flow ? recipientPlace(flow, byCode) : null),
        n.product, null, n.quantities.received, n.quantities.unit,
        ...ld(farmPlace(n)),
        n.base?.name ?? null, null,
        fsmaDate(n.producedAt),
        'Trace code (追溯码)', n.traceCode, flow ? REF_KIND[flow.kind] : null, flow?.transferId ?? null,
      ]);
    }
    rows['Initial Packing'].push([
      n.product, null, fsmaDate(n.producedAt), n.quantities.received, n.quantities.unit,
      ...ld(farmPlace(n)),
      n.base?.name ?? null, null,
      n.holder.name, n.holder.contact.phone, fsmaDate(n.producedAt),
      ...ld(null), null,
      n.traceCode,
      ...pd(n), n.quantities.received, n.quantities.unit,
      ...ld(farmPlace(n)),
      tlcRef(n.traceCode),
      fsmaDate(n.createdAt),
      'Trace code (追溯码)', n.traceCode, null, null,
    ]);
  }

  for (const flow of synthesis.edges) {
    const from = byCode.get(flow.from);
    if (!from) continue;
    rows.Shipping.push([
      from.traceCode, flow.quantity, flow.unit, ...pd(from),
      ...ld(recipientPlace(flow, byCode)),
      ...ld(holderPlace(from)),
      fsmaDate(flow.at),
      ...ld(holderPlace(from)),
      tlcRef(from.traceCode),
      REF_KIND[flow.kind], flow.transferId, null, null,
    ]);
    const to = flow.kind === 'transfer' && flow.to ? byCode.get(flow.to) : undefined;
    if (!to) continue;
    rows.Receiving.push([
      from.traceCode, flow.quantity, flow.unit, ...pd(from),
      ...ld(holderPlace(from)),
      ...ld(holderPlace(to)),
      fsmaDate(flow.at),
      ...ld(holderPlace(from)),
      tlcRef(from.traceCode),
      REF_KIND[flow.kind], flow.transferId, null, null,
    ]);
    rows.Transformation.push([
      from.traceCode, ...pd(from), flow.quantity, flow.unit,
      to.traceCode,
      ...ld(holderPlace(to)),
      tlcRef(to.traceCode),
      fsmaDate(to.createdAt ?? flow.at),
      ...pd(to), to.quantities.received, to.quantities.unit,
      REF_KIND[flow.kind], flow.transferId, 'Trace code (追溯码)', to.traceCode,
    ]);
  }
  return rows;
}

const CHAIN_TABLE_HEADERS = ['追溯码', '产品', '持有主体', '主体身份码', '所在地区', '联系人', '联系电话', '接收量', '已发出', '剩余', '单位', '生产日期', '接收时间', '上游追溯码', '检测结果', '暂停销售'];

/**
 * Written with exceljs's streaming writer: rows go straight to XML and through a native (zlib) deflate, where the
 * in-memory Workbook built a cell model for ≈ 60,000 cells and compressed with a JavaScript deflate (jszip/pako)
 * — 4× the time for the same sheets (docs/decisions/0014-trace-reports.md, Performance). Inline strings and no
 * style table, as before: the sheet is data for sorting, and shared strings cost a pass over every cell.
 */
export async function fsmaWorkbook(synthesis: ChainSynthesis, opts: XlsxOptions): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    sink.on('end', resolve);
    sink.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: false, useStyles: false });
  wb.creator = 'Suyuan 溯源';
  wb.created = new Date(opts.generatedAt);
  const rows = fsmaRows(synthesis, opts);
  for (const tab of Object.keys(FSMA_COLUMNS) as FsmaTab[]) {
    const ws = wb.addWorksheet(tab, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: FSMA_COLUMNS[tab].length } };
    ws.addRow(FSMA_COLUMNS[tab]).commit();
    for (const r of rows[tab]) ws.addRow(r).commit();
    ws.commit();
  }
  const chain = wb.addWorksheet('追溯链条数据表');
  chain.addRow(CHAIN_TABLE_HEADERS).commit();
  for (const n of synthesis.nodes) {
    chain.addRow([
      n.traceCode, n.product, n.holder.name, n.holder.eid, regionName(n.holder.regionCode) ?? n.holder.regionCode, n.holder.contact.person, n.holder.contact.phone,
      n.quantities.received, n.quantities.shippedOn, n.quantities.remaining, n.quantities.unit, n.producedAt, n.receivedAt, n.parentTraceCode,
      n.testResults.map((t) => `${t.verdict}${t.analytes.length ? ` (${t.analytes.map((a) => a.name).join('、')})` : ''}`).join('; ') || null,
      n.holds.length > 0 ? '是' : null,
    ]).commit();
  }
  chain.commit();
  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}
