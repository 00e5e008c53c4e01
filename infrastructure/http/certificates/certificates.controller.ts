import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { READ_MODELS, type ReadModels } from '../../../application/ports/read-models';
import { verifyCertificate } from '../../../application/lots/verify-certificate';
import { LEDGER_SETTINGS, type LedgerSettings } from '../../../application/shared/settings';
import { ValidationError } from '../../../domain/shared/errors';
import { Public } from '../auth/permission.decorator';

/** 入市追溯凭证核验: public, like the consumer view it belongs to. */
@ApiTags('trace')
@Controller('api/v1/certificates')
export class CertificatesController {
  constructor(
    @Inject(READ_MODELS) private readonly models: ReadModels,
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettings,
  ) {}

  @Get(':certificateNo')
  @Public()
  @ApiOperation({ summary: 'Verify a market-entry certificate against its lot: 200 with the certificate, 404 for a number the lot never got (fake), 400 malformed' })
  @ApiQuery({ name: 'traceCode', required: true })
  async verify(@Param('certificateNo') certificateNo: string, @Query('traceCode') traceCode?: string) {
    if (typeof traceCode !== 'string' || !traceCode) throw new ValidationError('traceCode', 'traceCode is required: a certificate is verified against its lot');
    return verifyCertificate(this.models, traceCode, certificateNo, this.settings.traceCodeSecret);
  }
}
