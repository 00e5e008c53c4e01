import { Controller, Get, Inject, Param, Req, ServiceUnavailableException, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { checkTraceCode } from '../../../application/lots/load-lot';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import { LEDGER_SETTINGS, type LedgerSettings } from '../../../application/shared/settings';
import { NotFoundError } from '../../../domain/shared/errors';
import { actorOf } from '../auth/auth.guard';
import { Requires, SensitiveRead } from '../auth/permission.decorator';
import { assertAllowed, lotResource } from '../../../application/access';
import { FONT_HELP, findCjkFont, type CjkFont } from './cjk-font';
import { renderLotLabel, type LabelLot } from './lot-label';
import { renderMarketEntryCertificate, type Certificate } from './market-entry-certificate';

/**
 * Printable PDFs for a lot's holder (and supervision in its region): the label and market-entry certificates.
 * The content type is set on the file only, so a refusal is still the JSON error of every other route.
 */
@ApiTags('lots')
@Controller('api/v1/lots')
export class LabelsController {
  private readonly font: CjkFont | null = findCjkFont();

  constructor(
    @Inject(READ_MODELS) private readonly models: ReadModels,
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettings,
  ) {}

  @Get(':traceCode/label.pdf')
  @Requires('lot.read')
  @SensitiveRead()
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: 'The lot label (追溯标签) as a 100×60 mm PDF: QR of {PUBLIC_URL}/t/{traceCode}, product, origin, trace code' })
  async label(@Req() req: Request, @Param('traceCode') traceCode: string) {
    const lot = await this.visibleLot(req, traceCode);
    const pdf = await renderLotLabel(lot, this.settings.publicUrl, this.requireFont());
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: `inline; filename="label-${lot.traceCode}.pdf"` });
  }

  @Get(':traceCode/certificates/:certificateNo.pdf')
  @Requires('lot.read')
  @SensitiveRead()
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: 'A market-entry certificate (入市追溯凭证) of the lot as an A6 PDF with its QR' })
  async certificate(@Req() req: Request, @Param('traceCode') traceCode: string, @Param('certificateNo') certificateNo: string) {
    const lot = await this.visibleLot(req, traceCode);
    const cert = ((lot as unknown as { certificates?: Certificate[] }).certificates ?? []).find((c) => c.certificateNo === certificateNo);
    if (!cert) throw new NotFoundError('certificate', certificateNo);
    const pdf = await renderMarketEntryCertificate(lot, cert, this.requireFont());
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: `inline; filename="certificate-${certificateNo}.pdf"` });
  }

  private async visibleLot(req: Request, traceCode: string): Promise<LabelLot> {
    const code = checkTraceCode(traceCode, this.settings.traceCodeSecret, 'traceCode');
    const doc = await this.models.get('lots', code);
    if (!doc) throw new NotFoundError('lot', code);
    // Labels and certificates are printed by the holder and supervision in its region; a grant opens a lot for reading, not for printing.
    assertAllowed(actorOf(req), 'read', lotResource(doc));
    return doc as unknown as LabelLot;
  }

  private requireFont(): CjkFont {
    if (!this.font) throw new ServiceUnavailableException(FONT_HELP);
    return this.font;
  }
}
