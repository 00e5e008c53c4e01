import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import PDFDocument from 'pdfkit';
import { provinceOf, regionName } from '../../../domain/shared/region-codes';
import type { LedgerSigner } from '../../ports/signer';
import type { ChainSynthesis } from '../chain-synthesis';
import type { IncidentSummary, RecallProgress, ReportCheckpoint } from '../report-inputs';
import { drawChainMap, type ProvinceOutline } from './chain-map';
import { reportFont } from './report-font';
import { drawCells } from './table-cells';

/**
 * 追溯查询报告 as a Chinese PDF: the incident, a map of the affected regions and flows, recall progress, the chain
 * table (追溯链条数据表), and a verification page. The report data (synthesis, incident, recall) is attached to
 * the PDF as canonical JSON; its SHA-256, the latest sealed checkpoint (root, position) and the ledger key id are
 * signed with the ledger's Ed25519 key, so a reader can check the report offline (docs/decisions/0014-trace-reports.md).
 */
export interface TraceReportInput {
  synthesis: ChainSynthesis;
  incident?: IncidentSummary | null;
  recall?: RecallProgress | null;
  checkpoint: ReportCheckpoint | null;
  generatedAt: string;
}

export interface PdfResources {
  /** A CJK font pdfkit can embed (see infrastructure/http/labels/cjk-font.ts). */
  font: { file: string; face?: string };
  provinces: ProvinceOutline[];
  signer: LedgerSigner;
}

export const REPORT_ATTACHMENT = 'report-data.json';

/** The signed statement: canonical JSON, exactly as printed on the verification page. */
export function reportStatement(contentSha256: string, input: TraceReportInput, keyId: string): string {
  const cp = input.checkpoint;
  return canonicalize({
    type: 'suyuan-trace-report',
    version: 1,
    contentSha256,
    generatedAt: input.generatedAt,
    asOfPosition: input.synthesis.asOfPosition,
    checkpoint: cp ? { sequence: cp.sequence, toPosition: cp.toPosition, merkleRoot: cp.merkleRoot } : null,
    keyId,
  });
}

export function reportContent(input: TraceReportInput): string {
  return canonicalize({ synthesis: input.synthesis, incident: input.incident ?? null, recall: input.recall ?? null });
}

const A4: [number, number] = [595.28, 841.89];
const M = 40;
const W = A4[0] - 2 * M;

const pct = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)} %` : '—');
const cst = (iso: string | null | undefined) => (iso ? new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ') : '—');
const place = (code: string | null | undefined) => (code ? (regionName(code) ?? code) : '—');
const cut = (s: string | null | undefined, n: number) => (!s ? '—' : s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function traceReportPdf(input: TraceReportInput, res: PdfResources): Promise<Buffer> {
  const content = reportContent(input);
  const contentSha256 = createHash('sha256').update(content, 'utf8').digest('hex');
  const statement = reportStatement(contentSha256, input, res.signer.keyId);
  const signature = res.signer.sign(statement);
  const s = input.synthesis;

  return new Promise((resolve, reject) => {
    const title = input.incident ? `追溯查询报告 · ${input.incident.title}` : '追溯查询报告';
    const doc = new PDFDocument({ size: A4, margin: M, info: { Title: title, Creator: 'Suyuan 溯源', Subject: `asOfPosition ${s.asOfPosition}` } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      // The parsed font is shared between reports (parsing the 20 MB collection per report cost ~0.1 s).
      doc.registerFont('cjk', reportFont(res.font.file, res.font.face) as unknown as PDFKit.Mixins.PDFFontSource);
      doc.font('cjk');
      doc.file(Buffer.from(content, 'utf8'), { name: REPORT_ATTACHMENT, type: 'application/json', description: 'Report data (canonical JSON, RFC 8785) whose SHA-256 is signed' });

      doc.fontSize(18).text(title, M, M, { width: W });
      doc.fontSize(9).fillColor('#555').text(`生成时间 ${cst(input.generatedAt)}（北京时间） · 台账位置 ${s.asOfPosition} · 起始追溯码 ${s.rootTraceCodes.join('、') || '—'}`, { width: W });
      doc.fillColor('black').moveDown(0.6);

      if (input.incident) section(doc, '一、应急事件', () => incidentBlock(doc, input.incident!));
      section(doc, input.incident ? '二、链条概要与地图' : '一、链条概要与地图', () => {
        const provinces = new Set(s.regionsTouched.map((r) => provinceOf(r)?.name ?? r.slice(0, 2)));
        const holders = new Set(s.nodes.map((n) => n.holder.entityId));
        const origin = s.nodes.filter((n) => n.isOrigin);
        const remaining = s.nodes.reduce((sum, n) => sum + n.quantities.remaining, 0);
        doc.fontSize(10).text(
          `批次 ${s.nodes.length} 个 · 持有主体 ${holders.size} 家 · 交接 ${s.edges.filter((e) => e.kind === 'transfer').length} 次 · 场外销售 ${s.edges.filter((e) => e.kind === 'off-ledger').length} 次 · 入市 ${s.edges.filter((e) => e.kind === 'market-entry').length} 次`,
          { width: W },
        );
        doc.text(`源头批次：${origin.map((n) => `${n.traceCode}（${n.holder.name}，${place(n.base?.regionCode ?? n.holder.regionCode)}）`).join('；') || '—'}`, { width: W });
        doc.text(`涉及省份 ${provinces.size} 个：${[...provinces].join('、')}；涉及县区 ${s.regionsTouched.length} 个。链条内现存总量 ${remaining}${s.nodes[0]?.quantities.unit ?? ''}。${s.truncated ? '（链条过长，已截断）' : ''}`, { width: W });
        const top = doc.y + 6;
        drawChainMap(doc, s, res.provinces, { x: M, y: top, width: W, height: 300 });
        doc.y = top + 306;
      });
      if (input.recall) section(doc, input.incident ? '三、召回进度' : '二、召回进度', () => recallBlock(doc, input.recall!));
      doc.addPage();
      section(doc, '追溯链条数据表', () => chainTable(doc, s));
      doc.addPage();
      section(doc, '验证信息', () => verificationBlock(doc, input, res.signer, statement, signature, contentSha256));
      doc.end();
    } catch (err) {
      reject(err);
    }
  });
}

function section(doc: PDFKit.PDFDocument, heading: string, body: () => void): void {
  if (doc.y > A4[1] - 120) doc.addPage();
  doc.fontSize(13).fillColor('#8b1a1a').text(heading, M, doc.y, { width: W });
  doc.fillColor('black').moveDown(0.3);
  body();
  doc.moveDown(0.8);
}

function incidentBlock(doc: PDFKit.PDFDocument, i: IncidentSummary): void {
  const rows: [string, string][] = [
    ['事件编号', i.incidentId],
    ['事件性质', i.category],
    ['事件级别', i.level],
    ['状态', i.status],
    ['发生时间', cst(i.occurredAt)],
    ['发生地点', i.place ?? '—'],
    ['事件来源', i.source ?? '—'],
    ['责任人', i.responsible ? `${i.responsible.name}${i.responsible.phone ? `（${i.responsible.phone}）` : ''}` : '—'],
    ['牵头机构', i.leadAgency ? `${i.leadAgency.name}（${i.leadAgency.regionCode || '全国'}）` : '—'],
  ];
  if (i.description) rows.push(['事件描述', i.description]);
  doc.fontSize(10);
  for (const [k, v] of rows) {
    const y = doc.y;
    doc.fillColor('#555').text(k, M, y, { width: 70 });
    doc.fillColor('black').text(v, M + 75, y, { width: W - 75 });
  }
}

function recallBlock(doc: PDFKit.PDFDocument, r: RecallProgress): void {
  doc.fontSize(10).text(`已落实 ${r.accountedFor} / 涉及 ${r.affected} ${r.unit}（${pct(r.accountedFor, r.affected)}）`, M, doc.y, { width: W });
  const barY = doc.y + 3;
  doc.rect(M, barY, W, 8).fillColor('#eee').fill();
  doc.rect(M, barY, r.affected > 0 ? (W * Math.min(r.accountedFor, r.affected)) / r.affected : 0, 8).fillColor('#2e7d32').fill();
  doc.fillColor('black');
  doc.y = barY + 14;
  table(doc, ['地区', '涉及', '已落实', '进度'], [150, 100, 100, 80], r.byRegion.map((x) => [place(x.regionCode), String(x.affected), String(x.accountedFor), pct(x.accountedFor, x.affected)]));
  doc.moveDown(0.4);
  table(
    doc,
    ['持有主体', '地区', '涉及', '追回', '销毁', '已售', '确认时间'],
    [120, 90, 50, 50, 50, 50, 105],
    r.byHolder.map((h) => [cut(h.name, 12), cut(place(h.regionCode), 8), String(h.affected), String(h.recovered), String(h.destroyed), String(h.soldToConsumers), h.acknowledgedAt ? cst(h.acknowledgedAt) : '未确认']),
  );
}

const CHAIN_COLUMNS: [string, number][] = [
  ['追溯码', 92],
  ['持有主体', 78],
  ['地区', 62],
  ['联系人 / 电话', 80],
  ['接收', 38],
  ['发出', 38],
  ['剩余', 38],
  ['接收时间', 62],
  ['检测 / 暂停', 27],
];

function chainTable(doc: PDFKit.PDFDocument, s: ChainSynthesis): void {
  table(
    doc,
    CHAIN_COLUMNS.map((c) => c[0]),
    CHAIN_COLUMNS.map((c) => c[1]),
    s.nodes.map((n) => [
      n.traceCode,
      cut(n.holder.name, 9),
      cut(place(n.holder.regionCode), 7),
      cut(`${n.holder.contact.person ?? '—'} ${n.holder.contact.phone ?? ''}`, 18),
      String(n.quantities.received),
      String(n.quantities.shippedOn),
      String(n.quantities.remaining),
      n.isOrigin ? `产 ${n.producedAt ?? '—'}` : cst(n.receivedAt).slice(2),
      `${n.testResults.some((t) => t.verdict === 'fail') ? '不合格' : n.testResults.length > 0 ? '合格' : '—'}${n.holds.length > 0 ? '停' : ''}`,
    ]),
  );
}

/** A plain table that continues on the next page with its header. */
function table(doc: PDFKit.PDFDocument, headers: string[], widths: number[], rows: string[][]): void {
  const rowH = 12;
  const drawRow = (cells: string[], bold: boolean) => {
    if (doc.y + rowH > A4[1] - M) {
      doc.addPage();
      doc.y = M;
      if (!bold) drawRow(headers, true);
    }
    const y = doc.y;
    if (bold) doc.rect(M, y - 1, widths.reduce((a, b) => a + b, 0), rowH).fillColor('#f0e6e6').fill();
    doc.fillColor('black').fontSize(7);
    // Cells are cut to fit beforehand, so each is one line: written as one text object per row (table-cells.ts).
    let x = M;
    drawCells(
      doc,
      cells.map((text, i) => {
        const cell = { text, x: x + 1, y: y + 1 };
        x += widths[i]!;
        return cell;
      }),
    );
    doc.y = y + rowH;
  };
  drawRow(headers, true);
  for (const r of rows) drawRow(r, false);
  doc.x = M;
}

function verificationBlock(doc: PDFKit.PDFDocument, input: TraceReportInput, signer: LedgerSigner, statement: string, signature: string, contentSha256: string): void {
  const cp = input.checkpoint;
  doc.fontSize(9).text(
    '本报告的数据以规范化 JSON（RFC 8785）附于本 PDF（附件 report-data.json）。下方“签名声明”包含该附件的 SHA-256、报告所依据的最新台账检查点（Merkle 根与位置）及密钥编号，并以台账 Ed25519 私钥签名。验证：① 取出附件，计算 SHA-256，应与声明一致；② 用下方公钥按 Ed25519 验证声明的签名；③ 在 GET /api/v1/audit/checkpoints 中核对该检查点的根与其签名。',
    M,
    doc.y,
    { width: W },
  );
  doc.moveDown(0.5);
  const line = (k: string, v: string) => {
    doc.fontSize(8).fillColor('#555').text(k, M, doc.y, { width: W });
    doc.fillColor('black').font('Courier').fontSize(7).text(v, { width: W });
    doc.font('cjk').moveDown(0.2);
  };
  line('附件 SHA-256', contentSha256);
  if (cp) {
    line('检查点', `sequence ${cp.sequence} · positions ${cp.fromPosition + 1}..${cp.toPosition} · ${cp.eventCount} events · sealed ${cp.sealedAt}`);
    line('检查点 Merkle 根 (RFC 6962)', cp.merkleRoot);
    line('上一检查点根', cp.previousRoot);
    line('检查点签名 (Ed25519, base64)', cp.signature);
  } else {
    line('检查点', '尚无已封存的检查点（签名仅覆盖报告数据）');
  }
  line('签名声明 (canonical JSON)', statement);
  line('报告签名 (Ed25519, base64)', signature);
  line(`台账公钥 (keyId ${signer.keyId})`, signer.publicKeyPem.trim());
}
