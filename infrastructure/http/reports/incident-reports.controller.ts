import {
  Controller,
  Get,
  Inject,
  Param,
  Query,
  Req,
  ServiceUnavailableException,
  StreamableFile,
} from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { AccessPolicy, type AccessGrant } from '../../../application/access';
import { readCheckpoints } from '../../../application/audit/checkpoints';
import { readTreeHeads } from '../../../application/audit/tree-heads';
import { mayReadHolder, mayReadIncident } from '../../../application/incidents/incident-access';
import type { Ledger } from '../../../application/ledger/ledger';
import { CLOCK, type Clock } from '../../../application/ports/clock';
import {
  PROJECTION_PROGRESS,
  READ_MODELS,
  type ProjectionProgress,
  type ReadModels,
} from '../../../application/ports/read-models';
import type { ReadDoc } from '../../../application/ports/read-store';
import { LEDGER_SIGNER, type LedgerSigner } from '../../../application/ports/signer';
import type { ChainSynthesis } from '../../../application/reports/chain-synthesis';
import { synthesisCacheFor } from '../../../application/reports/synthesis-cache';
import { epcisDocument } from '../../../application/reports/epcis/epcis-document';
import { outlinesFromGeoJson, type ProvinceOutline } from '../../../application/reports/pdf/chain-map';
import { traceReportPdf } from '../../../application/reports/pdf/trace-report-pdf';
import type {
  IncidentSummary,
  RecallHolderProgress,
  RecallProgress,
  ReportCheckpoint,
} from '../../../application/reports/report-inputs';
import { redactSynthesis } from '../../../application/reports/redact-synthesis';
import { fsmaWorkbook } from '../../../application/reports/xlsx/fsma-workbook';
import { LEDGER, LEDGER_SETTINGS, type LedgerSettings } from '../../../application/shared/settings';
import {
  INCIDENT_CATEGORY_LABELS_ZH,
  INCIDENT_LEVEL_LABELS_ZH,
  type IncidentSource,
} from '../../../domain/incidents';
import type { RecallLotStanding } from '../../../domain/recall';
import type { Actor } from '../../../domain/shared/actor';
import { BusinessRuleError, NotFoundError } from '../../../domain/shared/errors';
import { convert, isMassUnit, type Unit } from '../../../domain/shared/quantity';
import { regionName } from '../../../domain/shared/region-codes';
import { projectRoot } from '../../system/project-root';
import { noteGrantReads } from '../access/grant-reads';
import { actorOf } from '../auth/auth.guard';
import { Requires, SensitiveRead } from '../auth/permission.decorator';
import { FONT_HELP, findCjkFont, type CjkFont } from '../labels/cjk-font';
import { parseInput } from '../validation/parse-input';

/**
 * The incident's report (追溯查询报告) in the three formats of issue 12, for the incident page's downloads:
 *
 *   GET /api/v1/incidents/{id}/report?format=pdf    → application/pdf (Chinese, signed with the checkpoint root)
 *   GET /api/v1/incidents/{id}/report?format=xlsx   → FSMA 204 sortable spreadsheet (.xlsx)
 *   GET /api/v1/incidents/{id}/report?format=epcis  → EPCIS 2.0 JSON-LD (application/ld+json)
 *
 * Permission `incident.read`, bearer token as every API call (the web app fetches them and saves the blob).
 * One route with `?format=` rather than three file names, so a format we do not make is a 400 naming
 * `format` instead of a 404 that looks like a missing incident.
 *
 * Every format is a pure function of one synthesis, the same one `GET /incidents/{id}/chain` shows (the
 * incident's scope codes, which already hold everything incident-chain.ts reached backward and forward),
 * cut by the same rule: the access policy decides per lot, with the response's grants while it runs (the
 * grant holders see every holder with contact) and the caller's region alone once it is closed. Lots out
 * of reach leave the reports (decision 0014); each read is in the access log with the incident id
 * (@SensitiveRead, and the grants that opened lots are named in the entry).
 */
const FORMATS = ['pdf', 'xlsx', 'epcis'] as const;
type ReportFormat = (typeof FORMATS)[number];
const ReportQuery = z.object({ format: z.enum(FORMATS) });

const MEDIA: Record<ReportFormat, { type: string; extension: string }> = {
  pdf: { type: 'application/pdf', extension: 'pdf' },
  xlsx: { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx' },
  epcis: { type: 'application/ld+json; charset=utf-8', extension: 'epcis.jsonld' },
};

@ApiTags('incidents')
@Controller('api/v1/incidents')
export class IncidentReportsController {
  private readonly font: CjkFont | null = findCjkFont();
  private provinces: ProvinceOutline[] | null = null;

  constructor(
    @Inject(READ_MODELS) private readonly models: ReadModels,
    @Inject(PROJECTION_PROGRESS) private readonly progress: ProjectionProgress,
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettings,
    @Inject(LEDGER_SIGNER) private readonly signer: LedgerSigner,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly access: AccessPolicy,
  ) {}

  @Get(':id/report')
  @Requires('incident.read')
  @SensitiveRead()
  @ApiQuery({
    name: 'format',
    required: true,
    enum: FORMATS,
    description:
      'pdf (Chinese, signed), xlsx (FDA FSMA 204 sortable spreadsheet) or epcis (EPCIS 2.0 JSON-LD)',
  })
  @ApiProduces(MEDIA.pdf.type, MEDIA.xlsx.type, 'application/ld+json')
  @ApiOperation({
    summary:
      '追溯查询报告 of the incident: its chain, recall progress and record as a signed Chinese PDF, an FSMA 204 XLSX or EPCIS 2.0 JSON-LD — every holder the caller may see (its region, or the response’s grant while it runs; logged)',
  })
  async report(@Req() req: Request, @Param('id') id: string, @Query() query: Record<string, string>) {
    const { format } = parseInput(ReportQuery, query);
    const actor = actorOf(req);
    const doc = await this.models.get('incidents', id);
    if (!doc) throw new NotFoundError('incident', id);
    // The chain route's rule for the record itself (incidents.controller.ts `readable`).
    if (!mayReadIncident(actor, doc))
      throw new BusinessRuleError('OUT_OF_SCOPE', 'this incident concerns no region of yours', {
        incidentId: id,
      });

    const grants = await this.access.grantsFor(actor);
    const synthesis = await this.synthesis(doc);
    const { synthesis: visible, grantsUsed } = redactSynthesis(actor, synthesis, grants);
    noteGrantReads(req, grantsUsed);

    const generatedAt = this.clock.now().toISOString();
    const opts = { publicUrl: this.settings.publicUrl, generatedAt };
    const body = await this.render(format, visible, opts, async () => ({
      incident: incidentSummaryOf(doc),
      recall: await this.recallProgress(actor, id, grants),
      checkpoint: await this.latestCheckpoint(),
    }));
    const media = MEDIA[format];
    return new StreamableFile(body, {
      type: media.type,
      disposition: `attachment; filename="incident-${id}-report.${media.extension}"`,
    });
  }

  private async render(
    format: ReportFormat,
    s: ChainSynthesis,
    opts: { publicUrl: string; generatedAt: string },
    pdfInputs: () => Promise<{
      incident: IncidentSummary;
      recall: RecallProgress | null;
      checkpoint: ReportCheckpoint | null;
    }>,
  ): Promise<Buffer> {
    if (format === 'epcis') return Buffer.from(JSON.stringify(epcisDocument(s, opts)), 'utf8');
    if (format === 'xlsx') return fsmaWorkbook(s, opts);
    const font = this.font;
    if (!font) throw new ServiceUnavailableException(FONT_HELP);
    const inputs = await pdfInputs();
    return traceReportPdf(
      { synthesis: s, ...inputs, generatedAt: opts.generatedAt },
      { font, provinces: this.provinceOutlines(), signer: this.signer },
    );
  }

  /**
   * The whole chain as of the log head (once the read models include it), the same synthesis the chain route
   * shows: cached per incident until something it depends on is appended (synthesis-cache.ts), so the three
   * downloads and the page's table synthesise once.
   */
  private async synthesis(doc: ReadDoc): Promise<ChainSynthesis> {
    const cache = synthesisCacheFor({ models: this.models, progress: this.progress, store: this.ledger.store });
    return cache.synthesise(doc.traceCodes as string[]);
  }

  /** Recall progress from its read models; holders the caller may not see keep their region and quantities only. */
  private async recallProgress(
    actor: Actor,
    incidentId: string,
    grants: readonly AccessGrant[],
  ): Promise<RecallProgress | null> {
    const progress = await this.models.get('recall_progress', incidentId);
    if (!progress) return null;
    const notices = await this.models.find(
      'recall_notices',
      { incidentId },
      { sort: { regionCode: 1 }, limit: 100_000 },
    );
    return recallProgressOf(progress, notices, (holder) => mayReadHolder(actor, holder, grants));
  }

  /**
   * What the PDF is anchored to: the newest signed tree head (decision 0018), else — on a ledger sealed the old
   * way — the latest per-range checkpoint; null before the first seal. A tree head covers the whole log from its
   * start, so it maps onto the checkpoint fields as sequence = tree size, positions 0…last leaf, root = tree root.
   */
  private async latestCheckpoint(): Promise<ReportCheckpoint | null> {
    const heads = await readTreeHeads(this.ledger.store);
    const head = heads[heads.length - 1];
    if (head)
      return {
        sequence: head.treeSize,
        fromPosition: 0,
        toPosition: head.lastPosition,
        eventCount: head.treeSize,
        merkleRoot: head.rootHash,
        previousRoot: '',
        sealedAt: head.timestamp,
        keyId: head.keyId,
        signature: head.signature,
      };
    const { checkpoints } = await readCheckpoints(this.ledger.store);
    const last = checkpoints[checkpoints.length - 1];
    if (!last) return null;
    const { sequence, fromPosition, toPosition, eventCount, merkleRoot, previousRoot, sealedAt, keyId, signature } = last;
    return { sequence, fromPosition, toPosition, eventCount, merkleRoot, previousRoot, sealedAt, keyId, signature };
  }

  /** The web app's province outlines for the map, read once; a blank frame when the web app is not built. */
  private provinceOutlines(): ProvinceOutline[] {
    if (this.provinces) return this.provinces;
    const file = path.join(projectRoot(), 'web', 'dist', 'geo', 'china-provinces.json');
    this.provinces = fs.existsSync(file)
      ? outlinesFromGeoJson(JSON.parse(fs.readFileSync(file, 'utf8')))
      : [];
    return this.provinces;
  }
}

const STATUS_LABELS_ZH: Record<string, string> = {
  recorded: '已录入（待审核）',
  responding: '应急处置中',
  declined: '不启动应急处置',
  closed: '已关闭',
};

function sourceLabel(source: IncidentSource | undefined): string | null {
  switch (source?.kind) {
    case 'failed-result':
      return `检测不合格（样品 ${source.sampleId}）`;
    case 'risk-warning':
      return `风险预警（${source.warningId}）`;
    case 'complaint':
      return `投诉举报（${source.complainant}）`;
    case 'manual':
      return '人工录入';
    default:
      return null;
  }
}

/** The lead agency's name: the ministry for the whole country, else the region it supervises. */
function agencyName(regionCode: string): string {
  return regionCode === '' ? '农业农村部' : `${regionName(regionCode) ?? regionCode}农业农村主管部门`;
}

/** The incident read model as the report shows it (labels in Chinese; the record is visible to every reader of the incident). */
export function incidentSummaryOf(doc: ReadDoc): IncidentSummary {
  const place = doc.place as { address?: string | null; regionCode: string } | undefined;
  const responsible = doc.responsible as { name: string; phone?: string | null } | undefined;
  const lead = doc.leadRegionCode as string | undefined;
  const placeName = place ? (regionName(place.regionCode) ?? place.regionCode) : null;
  return {
    incidentId: doc._id,
    title: String(doc.title ?? ''),
    category:
      INCIDENT_CATEGORY_LABELS_ZH[doc.category as keyof typeof INCIDENT_CATEGORY_LABELS_ZH] ??
      String(doc.category),
    level: INCIDENT_LEVEL_LABELS_ZH[doc.level as keyof typeof INCIDENT_LEVEL_LABELS_ZH] ?? String(doc.level),
    status: STATUS_LABELS_ZH[doc.status as string] ?? String(doc.status),
    occurredAt: String(doc.occurredAt),
    place: place ? [place.address, placeName && `（${placeName}）`].filter(Boolean).join('') || null : null,
    source: sourceLabel(doc.source as IncidentSource | undefined),
    responsible: responsible ? { name: responsible.name, phone: responsible.phone ?? null } : null,
    leadAgency: lead === undefined || lead === null ? null : { regionCode: lead, name: agencyName(lead) },
    description: (doc.description as string | null | undefined) ?? null,
  };
}

type Totals = Record<string, { affected: number; accountedFor: number }>;
type NoticeLot = RecallLotStanding & { product?: string };

const r3 = (n: number) => Math.round(n * 1000) / 1000;

/** The recall projection's measure of a unit: mass in kg, each count unit on its own. */
function inMeasure(amount: number, unit: string): { measure: string; amount: number } {
  if (isMassUnit(unit as Unit))
    return { measure: 'kg', amount: convert({ amount, unit: unit as Unit }, 'kg').amount };
  return { measure: unit, amount };
}

/**
 * The report's recall progress in one measure: kg when any lot is weighed (the usual case), else the count
 * unit with the most affected. A recall mixing kg and heads shows the kg side here; the read model's
 * percentage (the mean over measures) is what the incident page shows.
 */
export function recallProgressOf(
  progress: ReadDoc,
  notices: ReadDoc[],
  visible: (holder: { entityId: string; regionCode: string }) => boolean,
): RecallProgress {
  const totals = (progress.totals as Totals | undefined) ?? {};
  const measures = Object.entries(totals).sort((a, b) => b[1].affected - a[1].affected);
  const unit = totals.kg ? 'kg' : (measures[0]?.[0] ?? 'kg');
  const byRegion = Object.entries((progress.byRegion as Record<string, { totals: Totals }> | undefined) ?? {})
    .map(([regionCode, r]) => ({
      regionCode,
      affected: r.totals[unit]?.affected ?? 0,
      accountedFor: r.totals[unit]?.accountedFor ?? 0,
    }))
    .sort((a, b) => a.regionCode.localeCompare(b.regionCode));
  let hidden = 0;
  const byHolder = notices.map((n): RecallHolderProgress => {
    const holder = n.holder as { entityId: string; name: string; regionCode: string };
    const sum = { affected: 0, recovered: 0, destroyed: 0, soldToConsumers: 0 };
    for (const lot of (n.lots as NoticeLot[] | undefined) ?? []) {
      if (inMeasure(0, lot.unit).measure !== unit) continue;
      sum.affected += inMeasure(lot.affected ?? 0, lot.unit).amount;
      sum.recovered += inMeasure(lot.tally?.recovered ?? 0, lot.unit).amount;
      sum.destroyed += inMeasure(lot.tally?.destroyed ?? 0, lot.unit).amount;
      sum.soldToConsumers += inMeasure(lot.tally?.soldToConsumers ?? 0, lot.unit).amount;
    }
    const who = visible(holder)
      ? { entityId: holder.entityId, name: holder.name }
      : { entityId: `redacted-holder-${++hidden}`, name: '辖区外主体' };
    return {
      ...who,
      regionCode: holder.regionCode,
      affected: r3(sum.affected),
      recovered: r3(sum.recovered),
      destroyed: r3(sum.destroyed),
      soldToConsumers: r3(sum.soldToConsumers),
      unit,
      acknowledgedAt: (n.acknowledgedAt as string | null | undefined) ?? null,
    };
  });
  return {
    unit,
    affected: totals[unit]?.affected ?? 0,
    accountedFor: totals[unit]?.accountedFor ?? 0,
    byRegion,
    byHolder,
  };
}
