import { pdftotextAvailable } from './support/pdftotext';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, sign, verify, createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesiseChain } from '../../../../application/reports/chain-synthesis';
import { outlinesFromGeoJson } from '../../../../application/reports/pdf/chain-map';
import { reportContent, reportStatement, traceReportPdf, type TraceReportInput } from '../../../../application/reports/pdf/trace-report-pdf';
import type { LedgerSigner } from '../../../../application/ports/signer';
import { findCjkFont } from '../../../../infrastructure/http/labels/cjk-font';
import { foldIntoMemory, generateTree } from './support/recall-tree';

const font = findCjkFont();
const provincesFile = path.resolve(__dirname, '../../../../web/dist/geo/china-provinces.json');
const pdftotext = pdftotextAvailable();
if (!font) console.warn('\n!!! SKIPPED trace report PDF: no CJK font (apt-get install fonts-noto-cjk or set LABEL_FONT_FILE) !!!\n');
if (!pdftotext) console.warn('\n!!! trace report PDF: pdftotext (poppler-utils) absent, the text-extraction assertions are SKIPPED !!!\n');

function testSigner(): LedgerSigner & { publicKey: ReturnType<typeof generateKeyPairSync>['publicKey'] } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    keyId: 'test-key',
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (message) => sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64'),
    publicKey,
  };
}

(font ? describe : describe.skip)('trace report PDF (Chinese)', () => {
  async function render() {
    const tree = generateTree({ lots: 60, fanOut: 4 });
    const synthesis = await synthesiseChain(await foldIntoMemory(tree.events), [tree.origin], { asOfPosition: tree.events.length });
    const input: TraceReportInput = {
      synthesis,
      incident: { incidentId: 'INC-1', title: '乐东芒果农药残留超标', category: '产品安全', level: '较大', status: '处置中', occurredAt: '2026-11-20T02:00:00.000Z', place: '海南省乐东黎族自治县', source: '抽检不合格', responsible: { name: '王主任', phone: '13800000000' }, leadAgency: { regionCode: '', name: '农业农村部' } },
      recall: { unit: 'kg', affected: 1000, accountedFor: 400, byRegion: [{ regionCode: '440111', affected: 600, accountedFor: 400 }], byHolder: [{ entityId: 'E1', name: '广州某批发商', regionCode: '440111', affected: 600, recovered: 300, destroyed: 100, soldToConsumers: 0, unit: 'kg', acknowledgedAt: '2026-11-21T02:00:00.000Z' }] },
      checkpoint: { sequence: 3, fromPosition: 100, toPosition: 200, eventCount: 100, merkleRoot: 'ab'.repeat(32), previousRoot: 'cd'.repeat(32), sealedAt: '2026-11-22T00:00:00.000Z', keyId: 'test-key', signature: 'c2ln' },
      generatedAt: '2026-11-23T08:00:00.000Z',
    };
    const provinces = fs.existsSync(provincesFile) ? outlinesFromGeoJson(JSON.parse(fs.readFileSync(provincesFile, 'utf8'))) : [];
    if (provinces.length === 0) console.warn('!!! trace report PDF: web/dist/geo/china-provinces.json absent (web not built): the map has no outlines !!!');
    const signer = testSigner();
    const pdf = await traceReportPdf(input, { font: font!, provinces, signer });
    return { pdf, input, signer, synthesis };
  }

  it('is a PDF with the CJK font embedded (subset) and the report data attached', async () => {
    const { pdf } = await render();
    const raw = pdf.toString('latin1');
    expect(raw.startsWith('%PDF-')).toBe(true);
    expect(raw).toMatch(/\/FontFile[23]?/);
    expect(raw).toContain('/EmbeddedFiles');
    expect(raw).toContain('report-data.json');
  });

  it('signs the SHA-256 of the report data and the checkpoint root with the ledger key', async () => {
    const { input, signer } = await render();
    const sha = createHash('sha256').update(reportContent(input), 'utf8').digest('hex');
    const statement = reportStatement(sha, input, signer.keyId);
    expect(JSON.parse(statement).checkpoint).toEqual({ sequence: 3, toPosition: 200, merkleRoot: 'ab'.repeat(32) });
    expect(verify(null, Buffer.from(statement), signer.publicKey, Buffer.from(signer.sign(statement), 'base64'))).toBe(true);
  });

  (pdftotext ? it : it.skip)('renders Chinese text: incident, chain table, recall progress and the verification page', async () => {
    const { pdf, synthesis, input } = await render();
    const file = path.join(os.tmpdir(), `trace-report-${process.pid}.pdf`);
    fs.writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
    fs.rmSync(file);
    for (const phrase of ['追溯查询报告', '乐东芒果农药残留超标', '应急事件', '追溯链条数据表', '召回进度', '验证信息', '农业农村部', '40.0 %']) expect(text).toContain(phrase);
    for (const n of synthesis.nodes.slice(0, 5)) expect(text).toContain(n.traceCode);
    expect(text).toContain(synthesis.nodes[synthesis.nodes.length - 1]!.traceCode);
    expect(text).toContain(createHash('sha256').update(reportContent(input), 'utf8').digest('hex'));
  });
});
